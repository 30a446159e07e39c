# language: nl
Functionaliteit: Notities en bijlagen bij een zaak
  Een gespreksverslag, een ondertekende brief of een gescand formulier hoort bij de zaak.
  Het komt in de audittrail: de tekst en de bestandsnaam als gezouten hash, de SHA-256 van
  het bestand in de gebeurtenis zelf. Niets kan later worden gewijzigd; bij anonimisering
  worden tekst en bestand gewist en blijven hun hashes staan (AVG art. 5 lid 1 onder e;
  M5-privacyverklaring, bewaartermijnen).

  Achtergrond:
    Gegeven het proefprotocol is geladen

  Scenario: Een gespreksverslag van vorige week wordt vastgelegd met de dag van het gesprek
    # De zaak is geopend op maandag 2 maart 2026; het gesprek was op woensdag 4 maart en
    # het verslag wordt op maandag 9 maart ingevoerd, nadat er al iets is vastgelegd.
    Gegeven een zaak voor leerling "Leerling-Kievit" op school "de-linde" per 2026-03-02
    En het is 2026-03-09
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht"
    En de "intern_begeleider" "mevr.smit" de notitie "Gesprek met de moeder gevoerd." toevoegt per 2026-03-04
    Dan geldt de laatste gebeurtenis vanaf 2026-03-04
    En is de laatste gebeurtenis "note_added" door "mevr.smit"
    En staat de zaak in stap "onderzoek"
    En klopt de controle van de hashketen

  Scenario: Een bestand dat zich als PDF voordoet maar een programma is, wordt geweigerd
    Gegeven een zaak voor leerling "Leerling-Kievit" op school "de-linde"
    # het soort bestand blijkt uit de inhoud, niet uit de naam: dit is een Windows-programma
    Als de "intern_begeleider" "mevr.smit" een programma met de naam "factuur.pdf" toevoegt
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "dit soort bestand kan niet worden toegevoegd"
    En staat de zaak nog in stap "melding" met 1 gebeurtenis

  Scenario: Een gewijzigde bijlage valt op bij de controle van de hashketen
    Gegeven een zaak voor leerling "Leerling-Kievit" op school "de-linde"
    Als de "intern_begeleider" "mevr.smit" het bestand "verslag.txt" met inhoud "Gesprek gevoerd." toevoegt
    En iemand met toegang tot de database de bijlage vervangt
    Dan meldt de controle gebeurtenis 2 als eerste fout

  Scenario: Bij anonimisering verdwijnen tekst en bestand, hun hashes blijven
    Gegeven een zaak voor leerling "Leerling-Kievit" op school "de-linde"
    Als de "intern_begeleider" "mevr.smit" de notitie "Leerling-Kievit huilde in de pauze." toevoegt
    En de "intern_begeleider" "mevr.smit" het bestand "verslag.txt" met inhoud "Verslag over Leerling-Kievit" toevoegt
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gestopt"
    En de "privacyfunctionaris" "dhr.privacy" de zaak anonimiseert
    Dan staat "Leerling-Kievit" nergens meer in de zaak of haar gebeurtenissen
    En is de bijlage gewist en staat haar SHA-256 nog in de audittrail
    En klopt de controle van de hashketen
