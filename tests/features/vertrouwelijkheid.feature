# language: nl
Functionaliteit: Vertrouwelijkheid van meldingen
  Een melder mag erop rekenen dat zijn identiteit alleen bekend wordt bij wie de regeling
  daarvoor aanwijst (Modelregeling klokkenluiders 2016, art. 5 lid 2; Richtlijn (EU)
  2019/1937 art. 16), en dat geen andere melder zijn melding kan zien.

  Scenario: Een melder ziet alleen de eigen melding (art. 5 lid 1: vertrouwelijk)
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En melder "melder.een" meldt op school "het-anker" als "Melder-Een"
    En melder "melder.twee" meldt op school "het-anker" als "Melder-Twee"
    Dan ziet melder "melder.een" alleen de melding van "Melder-Een"
    En ziet melder "melder.twee" alleen de melding van "Melder-Twee"
    En kan melder "melder.twee" de melding van "Melder-Een" niet openen

  Scenario: Alleen de melder zelf, of de vertrouwenspersoon die zijn schriftelijke instemming vastlegt, maakt de identiteit bekend (art. 5 lid 2)
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En melder "melder.een" meldt op school "het-anker" als "Melder-Een"
    En melder "melder.twee" meldt op school "het-anker" als "Melder-Twee"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "identiteit_vrijgeven" uitvoert met "identiteit_delen=ja"
    Dan wordt de actie geweigerd met "permission_denied"
    En ziet de "bevoegd_gezag" als betrokkene "(afgeschermd)"
    Als melder "melder.twee" instemt met bekendmaking in de melding van "Melder-Een"
    Dan wordt de actie geweigerd met "case_not_found"
    En ziet de "bevoegd_gezag" als betrokkene "(afgeschermd)"
    Als melder "melder.een" instemt met bekendmaking in de melding van "Melder-Een"
    Dan ziet de "bevoegd_gezag" als betrokkene "Melder-Een"
    En is de laatste gebeurtenis "facts_recorded" door "melder.een"

  Scenario: De vertrouwenspersoon legt de schriftelijke instemming van de melder vast (art. 5 lid 2)
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En melder "melder.een" meldt op school "het-anker" als "Melder-Een"
    Als de "vertrouwenspersoon" "mevr.vp" actie "identiteit_vrijgeven" uitvoert met "identiteit_delen=ja"
    Dan ziet de "bevoegd_gezag" als betrokkene "Melder-Een"

  Scenario: Een rapportage verraadt geen zaak die de lezer niet mag openen
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het protocol "klokkenluidersregeling-2016" is geladen
    En het protocol "meldplicht-misbruik" is geladen
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Zichtbaar" op school "de-linde"
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Verborgen" op school "de-linde"
    En een zaak volgens "meldplicht-misbruik" voor leerling "Leerling-Verborgen" op school "de-linde"
    Dan noemt de rapportage van de "directeur" van "de-linde" alleen "Stappenplan grensoverschrijdend gedrag"
    En noemt de rapportage van de "intern_begeleider" van "de-linde" alleen "Stappenplan grensoverschrijdend gedrag"
    En noemt de rapportage van het bestuur ook "Klokkenluidersregeling PO/VO (model 2016)"
