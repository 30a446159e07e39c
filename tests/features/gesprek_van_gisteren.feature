# language: nl
Functionaliteit: Het gesprek van gisteren vastleggen
  Een notitie of bijlage heeft twee momenten: wanneer het gesprek of het stuk er was, en
  wanneer het werd vastgelegd. Het eerste mag vóór wat er sindsdien is vastgelegd liggen
  (het telefoontje van gisteren, opgeschreven na de actie van vanochtend), maar niet vóór de
  opening van de zaak en niet in de toekomst. De tijdlijn volgt wat er gebeurde; de
  hashketen blijft in de volgorde van vastleggen. Een notitie legt niets vast waar het
  protocol op handelt: zij verschuift geen stap en geen termijn (issue 26).

  Achtergrond:
    Gegeven het proefprotocol is geladen
    En een zaak voor leerling "Leerling-Merel" op school "de-linde" per 2026-03-02

  Scenario: Het telefoontje van dinsdag wordt op donderdag vastgelegd, na de melding van woensdag
    Gegeven het is 2026-03-04
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht"
    En het is 2026-03-05
    En de "intern_begeleider" "mevr.smit" de notitie "De moeder belde: het pesten gaat door." toevoegt over een gesprek op 2026-03-03 om 15:30
    Dan is de laatste gebeurtenis "note_added" door "mevr.smit"
    En staat in de tijdlijn de notitie "De moeder belde: het pesten gaat door." vóór "Melding vastleggen"
    En zegt de tijdlijn bij die notitie "gesprek of gebeurtenis op 03-03-2026 15:30, vastgelegd op 05-03-2026 10:00"
    En heeft de termijn "onderzoek_termijn" einddatum "2026-03-11" en status "open"
    En staat de zaak in stap "onderzoek"
    En klopt de controle van de hashketen

  Scenario: Een gesprek vóór de opening of in de toekomst wordt geweigerd, met de naam van het veld
    Gegeven het is 2026-03-05
    Als de "intern_begeleider" "mevr.smit" de notitie "Gesprek met de vader." toevoegt over een gesprek op 2026-03-01 om 09:00
    Dan wordt de actie geweigerd met "invalid_effective_date"
    En noemt de fout "Datum van het gesprek of de gebeurtenis: 01-03-2026 09:00 ligt vóór de opening van de zaak"
    Als de "intern_begeleider" "mevr.smit" de notitie "Gesprek met de vader." toevoegt over een gesprek op 2026-03-06 om 09:00
    Dan wordt de actie geweigerd met "invalid_effective_date"
    En noemt de fout "Datum van het gesprek of de gebeurtenis: 06-03-2026 09:00 ligt in de toekomst"
    En staat de zaak nog in stap "melding" met 1 gebeurtenis
