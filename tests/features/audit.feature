# language: nl
Functionaliteit: De audittrail laat zien hoe een zaak tot stand kwam en verraadt geknoei
  Een auditor speelt een zaak stap voor stap af en controleert de hashketen.

  Achtergrond:
    Gegeven het proefprotocol is geladen
    En het is 2026-03-17
    En een zaak in stap "maatregel"

  Scenario: Afspelen geeft dezelfde zaak als de opgeslagen zaak
    Als de tijd verstrijkt tot 2026-03-26
    Dan geeft afspelen van alle gebeurtenissen precies de opgeslagen zaak
    En toont elke afgespeelde stap de toestand ervoor en erna
    En klopt de controle van de hashketen

  Abstract Scenario: Geknoei in de database wordt ontdekt (<geknoei>)
    Als iemand met toegang tot de database gebeurtenis 2 <geknoei>
    Dan meldt de controle gebeurtenis <eerste> als eerste fout

    Voorbeelden:
      | geknoei     | eerste |
      | wijzigt     | 2      |
      | verwijdert  | 2      |
      | verplaatst  | 2      |
