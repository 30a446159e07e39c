# language: nl
Functionaliteit: Het kanaal en de betrokkene bepalen wie een melding ziet
  Een werknemer meldt een vermoeden van een misstand bij een hogere leidinggevende, bij de
  toezichthouder als het bevoegd gezag erbij betrokken is, of via de vertrouwenspersoon
  (Modelregeling klokkenluiders 2016, art. 3 lid 1 en 3). De melding is alleen toegankelijk
  voor wie haar behandelt (art. 5 lid 1): wie buiten het gekozen kanaal staat, en wie de
  melding betreft, ziet haar niet, ook niet in een lijst. Kanaal en betrokkene liggen vast
  vanaf het openen.

  Achtergrond:
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23

  Scenario: Een melding via de vertrouwenspersoon ziet de leidinggevende niet (art. 3 lid 3 en 4)
    Gegeven melder "melder.een" meldt op school "de-linde" als "Melder-Een" via "vertrouwenspersoon" over "niemand"
    Dan kan "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde" de melding van "Melder-Een" niet openen
    En staat de melding van "Melder-Een" niet in de lijst van "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde"
    En kan "mevr.vp" met de rollen "vertrouwenspersoon" op "bestuur" de melding van "Melder-Een" openen
    En kan "mevr.raad" met de rollen "bevoegd_gezag" op "bestuur" de melding van "Melder-Een" openen
    En kan "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" de melding van "Melder-Een" niet openen
    En ziet melder "melder.een" alleen de melding van "Melder-Een"

  Scenario: Een melding over de directeur ziet de directeur niet, ook niet als leidinggevende
    Gegeven melder "melder.een" meldt op school "de-linde" als "Melder-Een" via "leidinggevende" over "directeur"
    Dan kan "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde" de melding van "Melder-Een" niet openen
    En staat de melding van "Melder-Een" niet in de lijst van "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde"
    En kan "mevr.adjunct" met de rollen "leidinggevende" op "de-linde" de melding van "Melder-Een" openen
    En kan "mevr.raad" met de rollen "bevoegd_gezag" op "bestuur" de melding van "Melder-Een" openen
    Als "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde" in de melding van "Melder-Een" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-23;afschrift_verstrekt=ja"
    Dan wordt de actie geweigerd met "case_not_found"

  Scenario: Een melding bij de leidinggevende ziet de leidinggevende wel (art. 3 lid 1 onder a)
    Gegeven melder "melder.een" meldt op school "de-linde" als "Melder-Een" via "leidinggevende" over "niemand"
    Dan kan "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde" de melding van "Melder-Een" openen
    En staat de melding van "Melder-Een" in de lijst van "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde"
    En kan "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" de melding van "Melder-Een" niet openen
    Als "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde" in de melding van "Melder-Een" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-23;afschrift_verstrekt=ja"
    Dan staat de melding van "Melder-Een" in stap "vastgelegd"

  Scenario: Een zaak die via de leidinggevende is geopend, behandelt de leidinggevende mee
    Gegeven een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "de-linde" via "leidinggevende"
    Als de "leidinggevende" "dhr.bos" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-21;afschrift_verstrekt=ja"
    Dan staat de zaak in stap "vastgelegd"

  Scenario: Bij een melding over het bevoegd gezag neemt de toezichthouder diens plaats in (art. 3 lid 1 onder b)
    Gegeven melder "melder.een" meldt op school "de-linde" als "Melder-Een" via "vertrouwenspersoon" over "bevoegd_gezag"
    Dan kan "mevr.raad" met de rollen "bevoegd_gezag" op "bestuur" de melding van "Melder-Een" niet openen
    En kan "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" de melding van "Melder-Een" openen
    Als "mevr.vp" met de rollen "vertrouwenspersoon" op "bestuur" in de melding van "Melder-Een" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-23;afschrift_verstrekt=ja"
    En "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" in de melding van "Melder-Een" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    Dan staat de melding van "Melder-Een" in stap "onderzoek"

  Scenario: Kanaal en betrokkene liggen vast vanaf het openen
    Als melder "melder.een" op school "de-linde" meldt als "Melder-Een" zonder kanaal
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "kanaal"
    Als "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde" een melding opent via "vertrouwenspersoon" over "niemand"
    Dan wordt de actie geweigerd met "invalid_input"
    Als melder "melder.een" meldt op school "de-linde" als "Melder-Een" via "vertrouwenspersoon" over "niemand"
    Als "mevr.raad" met de rollen "bevoegd_gezag" op "bestuur" in de melding van "Melder-Een" actie "vastleggen" uitvoert met "kanaal=leidinggevende;ontvangen_op=2026-03-23;afschrift_verstrekt=ja"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "kanaal"
    En kan "dhr.bos" met de rollen "directeur,leidinggevende" op "de-linde" de melding van "Melder-Een" niet openen
