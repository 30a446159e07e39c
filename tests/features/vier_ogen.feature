# language: nl
Functionaliteit: Een protocol geldt pas als een tweede persoon het goedkeurt (vier ogen)
  Een protocoleigenaar stelt een nieuwe versie of een variant voor. Die geldt niet vanzelf:
  een tweede protocoleigenaar of het bevoegd gezag keurt het voorstel goed, met een
  ingangsdatum, of wijst het af met een reden. Wie het voorstel deed, keurt het niet zelf goed.
  Lopende zaken houden de versie waarmee ze begonnen.

  Achtergrond:
    Gegeven het proefprotocol is geladen
    En het is 2026-03-02
    En de "protocol_eigenaar" "anna" stelt het proefprotocol voor met de titel "Proefprotocol escalatie (herzien)"

  Scenario: Wie voorstelt, keurt niet zelf goed
    Als de "protocol_eigenaar" "anna" het voorstel goedkeurt
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "vier ogen"
    En krijgen nieuwe zaken versie 1 van het proefprotocol

  Scenario: Een tweede protocoleigenaar keurt goed met een ingangsdatum
    Als de "protocol_eigenaar" "bert" het voorstel goedkeurt per 2026-03-09
    Dan krijgen nieuwe zaken versie 1 van het proefprotocol
    Als het is 2026-03-09
    En de goedgekeurde voorstellen worden gepubliceerd
    Dan krijgen nieuwe zaken versie 2 van het proefprotocol
    En vermeldt het voorstel "voorgesteld door anna, goedgekeurd door bert, gepubliceerd door trede"

  Scenario: Het bevoegd gezag wijst af met een reden
    Als de "bevoegd_gezag" "carla" het voorstel afwijst met de reden "De termijn klopt niet met de wet"
    Dan is het voorstel "afgewezen" met de reden "De termijn klopt niet met de wet"
    En krijgen nieuwe zaken versie 1 van het proefprotocol
