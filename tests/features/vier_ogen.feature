# language: nl
Functionaliteit: Een protocol geldt pas als een tweede persoon het goedkeurt (vier ogen)
  Een protocoleigenaar stelt een nieuwe versie of een variant voor. Die geldt niet vanzelf:
  een tweede protocoleigenaar of het bevoegd gezag keurt het voorstel goed, met een
  ingangsdatum, of wijst het af met een reden. Wie het voorstel deed, keurt het niet zelf goed,
  ook niet met een tweede account. Een voorstel bouwt voort op de versie die gold toen het werd
  gedaan: is er intussen een nieuwere versie gepubliceerd, dan vervalt het. Lopende zaken
  houden de versie waarmee ze begonnen.

  Achtergrond:
    Gegeven het proefprotocol is geladen
    En het is 2026-03-02
    En "anna" is "protocol_eigenaar" voor alle scholen van het bestuur
    En "bert" is "protocol_eigenaar" voor alle scholen van het bestuur
    En "carla" is "bevoegd_gezag" voor alle scholen van het bestuur
    En de "protocol_eigenaar" "anna" stelt het proefprotocol voor met de titel "Proefprotocol escalatie (herzien)"

  Scenario: Wie voorstelt, keurt niet zelf goed
    Als de "protocol_eigenaar" "anna" het voorstel goedkeurt
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "vier ogen"
    En krijgen nieuwe zaken versie 1 van het proefprotocol

  Scenario: Een tweede account van dezelfde persoon keurt niet goed
    Gegeven "anna.thuis" is "protocol_eigenaar" voor alle scholen van het bestuur met het e-mailadres "Anna@school.example"
    En "anna" heeft het e-mailadres "anna@school.example"
    Als de "protocol_eigenaar" "anna.thuis" het voorstel goedkeurt
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "hetzelfde e-mailadres"
    En krijgen nieuwe zaken versie 1 van het proefprotocol

  Scenario: Een tweede protocoleigenaar keurt goed met een ingangsdatum
    Als de "protocol_eigenaar" "bert" het voorstel goedkeurt per 2026-03-09
    Dan krijgen nieuwe zaken versie 1 van het proefprotocol
    Als het is 2026-03-09
    En de goedgekeurde voorstellen worden gepubliceerd
    Dan krijgen nieuwe zaken versie 2 van het proefprotocol
    En vermeldt het voorstel "voorgesteld door anna, goedgekeurd door bert, gepubliceerd door trede"

  Scenario: Een ingangsdatum ligt hooguit een jaar vooruit
    Als de "protocol_eigenaar" "bert" het voorstel goedkeurt per 2027-03-04
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "ligt meer dan een jaar vooruit; kies een dag tot en met 2027-03-03"
    Als de "protocol_eigenaar" "bert" het voorstel goedkeurt per 2027-03-03
    Dan vermeldt het voorstel "voorgesteld door anna, goedgekeurd door bert"

  Scenario: Het bevoegd gezag wijst af met een reden
    Als de "bevoegd_gezag" "carla" het voorstel afwijst met de reden "De termijn klopt niet met de wet"
    Dan is het voorstel "afgewezen" met de reden "De termijn klopt niet met de wet"
    En krijgen nieuwe zaken versie 1 van het proefprotocol

  Scenario: Een voorstel vervalt bij goedkeuren als er intussen een nieuwere versie is gepubliceerd
    Als het bestuur een nieuwe versie van het proefprotocol laadt met de titel "Proefprotocol escalatie (bestuur)"
    En de "protocol_eigenaar" "bert" het voorstel goedkeurt
    Dan wordt de actie geweigerd met "proposal_lapsed"
    En is het voorstel "vervallen" met de reden "Er is intussen een nieuwere versie gepubliceerd; stel de wijziging opnieuw voor op basis van versie 2."
    En krijgen nieuwe zaken versie 2 van het proefprotocol
    En vermeldt het voorstel "voorgesteld door anna, vervallen door trede"

  Scenario: Een goedgekeurd voorstel vervalt als vóór de ingangsdatum een nieuwere versie is gepubliceerd
    Als de "protocol_eigenaar" "bert" het voorstel goedkeurt per 2026-03-09
    En het bestuur een nieuwe versie van het proefprotocol laadt met de titel "Proefprotocol escalatie (bestuur)"
    En het is 2026-03-09
    En de goedgekeurde voorstellen worden gepubliceerd
    Dan is het voorstel "vervallen" met de reden "Er is intussen een nieuwere versie gepubliceerd; stel de wijziging opnieuw voor op basis van versie 2."
    En krijgen nieuwe zaken versie 2 van het proefprotocol
    En vermeldt het voorstel "voorgesteld door anna, goedgekeurd door bert, vervallen door trede"

  Scenario: Wie voorstelde, trekt een goedgekeurd voorstel in vóór de ingangsdatum
    Als de "protocol_eigenaar" "bert" het voorstel goedkeurt per 2026-03-09
    En de "protocol_eigenaar" "anna" het voorstel intrekt met de reden "De wet verandert per 1 augustus"
    Dan is het voorstel "ingetrokken" met de reden "De wet verandert per 1 augustus"
    Als het is 2026-03-09
    En de goedgekeurde voorstellen worden gepubliceerd
    Dan krijgen nieuwe zaken versie 1 van het proefprotocol
    En vermeldt het voorstel "voorgesteld door anna, goedgekeurd door bert, ingetrokken door anna"
