# language: nl
Functionaliteit: Een zaak doorloopt de stappen van het protocol
  Een leerkracht legt een melding vast, de intern begeleider onderzoekt en de directeur
  beslist. Elke stap komt in de audittrail met wie, wanneer en waarom.

  Achtergrond:
    Gegeven het proefprotocol is geladen
    En het is 2026-03-02

  Scenario: Van melding tot afgesloten zaak
    Gegeven een zaak voor leerling "Leerling-K3" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht"
    Dan staat de zaak in stap "onderzoek"
    En heeft de termijn "onderzoek_termijn" einddatum "2026-03-09" en status "open"
    En heeft de termijn "ouders_geinformeerd" einddatum "2026-03-03" en status "open"
    En mag de "intern_begeleider" nu "onderzoek_afronden"
    Als de "leerkracht" "juf.anna" actie "ouders_geinformeerd" uitvoert
    Dan heeft de termijn "ouders_geinformeerd" einddatum "2026-03-03" en status "vervuld"
    Als de "intern_begeleider" "mevr.smit" actie "onderzoek_afronden" uitvoert met "motivering=gesprekken gevoerd"
    Dan staat de zaak in stap "beoordeling"
    En heeft de termijn "onderzoek_termijn" einddatum "2026-03-09" en status "geannuleerd"
    En mag de "directeur" nu "beoordeling:gegrond, beoordeling:ongegrond, afsluiten"
    Als de "directeur" "dhr.bos" actie "beoordeling:ongegrond" uitvoert met "motivering=geen aanwijzingen"
    Dan staat de zaak in stap "afgesloten"
    En is de zaak afgesloten
    En is de laatste gebeurtenis "decision" door "dhr.bos"
    En klopt de controle van de hashketen

  Scenario: Een ernstig incident gaat direct naar een maatregel
    Gegeven een zaak voor leerling "Leerling-M8" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=ernstig"
    En de "directeur" "dhr.bos" actie "direct_maatregel" uitvoert met "motivering=slaan;akkoord_directeur=ja"
    Dan staat de zaak in stap "maatregel"
    En heeft de termijn "einde_maatregel" einddatum "2026-03-09" en status "open"

  Scenario: Een handeling die eerder plaatsvond, krijgt haar eigen datum
    Gegeven een zaak voor leerling "Leerling-K3" op school "de-linde" per 2026-02-26
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht" per 2026-02-27
    Dan heeft de termijn "onderzoek_termijn" einddatum "2026-03-06" en status "open"
