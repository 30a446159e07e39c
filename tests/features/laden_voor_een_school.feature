# language: nl
Functionaliteit: Een nieuwe versie voor één school laat de andere scholen hun versie houden
  Laadt een protocolbeheerder een nieuwe versie van een protocol alleen voor De Linde, dan
  krijgt De Linde die versie; de andere scholen van het bestuur houden de versie die zij hadden
  en kunnen er zaken mee blijven openen.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En versie 6 van "grensoverschrijdend-gedrag" is geladen alleen voor school "de-linde"

  Scenario: Het Anker houdt versie 5, De Linde krijgt versie 6
    Dan krijgt "mr.jan" als "leerkracht" op school "het-anker" versie 5 van "grensoverschrijdend-gedrag" aangeboden
    En krijgt "juf.anna" als "leerkracht" op school "de-linde" versie 6 van "grensoverschrijdend-gedrag" aangeboden

  Scenario: Op Het Anker opent een zaak volgens de versie die de school had
    Als de "leerkracht" "mr.jan" een zaak opent volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mus" op school "het-anker"
    Dan staat de zaak in stap "ik_kan_het_zelf"
    En volgt de zaak versie 5 van "grensoverschrijdend-gedrag"

  Scenario: Op De Linde opent een zaak volgens de eigen nieuwe versie
    Als de "leerkracht" "juf.anna" een zaak opent volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mus" op school "de-linde"
    Dan volgt de zaak versie 6 van "grensoverschrijdend-gedrag"
