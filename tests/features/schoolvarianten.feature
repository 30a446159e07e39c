# language: nl
Functionaliteit: Het eigen protocol van een school geldt alleen op die school
  Een protocolbeheerder laadt een variant voor één school of voor het hele bestuur. Een
  leerkracht van een andere school krijgt het eigen protocol van De Linde niet te zien en kan er
  geen zaak mee openen; de protocollen van het bestuur gelden op elke school.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het schoolprotocol "gedrag-de-linde" is geladen voor school "de-linde"
    En het is 2026-03-02

  Scenario: Op De Linde kan de variant van De Linde worden gekozen
    Als de "leerkracht" "juf.anna" een zaak opent volgens "gedrag-de-linde" voor leerling "Leerling-Mus" op school "de-linde"
    Dan staat de zaak in stap "ik_kan_het_zelf"

  Scenario: Op Het Anker kan de variant van De Linde niet worden gekozen
    Als de "leerkracht" "mr.jan" een zaak opent volgens "gedrag-de-linde" voor leerling "Leerling-Mus" op school "het-anker"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "eigen protocol van een andere school"

  Scenario: Het protocol van het bestuur geldt op elke school
    Als de "leerkracht" "mr.jan" een zaak opent volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mus" op school "het-anker"
    Dan staat de zaak in stap "ik_kan_het_zelf"
