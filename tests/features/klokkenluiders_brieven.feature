# language: nl
Functionaliteit: Brieven aan de melder, de bevoegde autoriteiten en de voorrang van de Wbk
  Een brief over een melding van een vermoeden van een misstand is gericht aan de melder, niet
  aan ouders; alleen wie de identiteit van de melder mag kennen, maakt hem (Modelregeling 2016
  art. 5 lid 2; Richtlijn (EU) 2019/1937 art. 16). De brief noemt de bevoegde autoriteiten van
  de Wet bescherming klokkenluiders (art. 2c; de Inspectie van het Onderwijs hoort daar niet
  bij). Sinds 18 februari 2023 gaat de Wbk voor waar de regeling van 2016 afwijkt: de melder
  mag direct extern melden zonder reden (Richtlijn art. 10). En een Wbk-melding over de
  behandelaar of de bestuurder bereikt die persoon nooit (Richtlijn art. 9 lid 1 onder a en c).

  Scenario: De ontvangstbevestiging (Wbk) is gericht aan de melder en noemt de bevoegde autoriteiten, niet de Inspectie
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-12-21
    En een zaak volgens "klokkenluiders-wbk-2023" voor leerling "Melder-W1" op school "bestuursbureau"
    # ontvangen vrijdag 18-12-2026; bevestigd maandag 21-12-2026; drie maanden daarna is
    # zondag 21-03-2027, de Atw schuift naar maandag 22-03-2027
    Als de "behandelaar" "mevr.meldpunt" actie "ontvangst_registreren" uitvoert met "ontvangen_op=2026-12-18"
    En de "behandelaar" "mevr.meldpunt" actie "bevestiging_versturen" uitvoert met "bevestiging_verzonden_op=2026-12-21"
    En de "behandelaar" "mevr.meldpunt" brief "ontvangstbevestiging" maakt
    Dan staat in de brief "Aan de melder: Melder-W1"
    En staat in de brief "uw melding van een vermoeden van een misstand (zaak "
    En staat niet in de brief "ouder(s)/verzorger(s)"
    En staat in de brief "uiterlijk op 22 maart 2027"
    En staat in de brief "direct, zonder eerst intern te melden"
    En staat in de brief "Autoriteit Consument en Markt (ACM)"
    En staat in de brief "Autoriteit Financiële Markten (AFM)"
    En staat in de brief "Autoriteit Persoonsgegevens (AP)"
    En staat in de brief "De Nederlandsche Bank (DNB)"
    En staat in de brief "Huis voor Klokkenluiders"
    En staat in de brief "Inspectie Gezondheidszorg en Jeugd (IGJ)"
    En staat in de brief "Nederlandse Zorgautoriteit (NZa)"
    En staat in de brief "Autoriteit Nucleaire Veiligheid en Stralingsbescherming (ANVS)"
    En staat in de brief "Nederlandse Voedsel- en Warenautoriteit (NVWA)"
    En staat in de brief "stand 31 december 2024"
    En staat niet in de brief "Inspectie van het Onderwijs"
    En staat in de PDF van de brief "Aan de melder: Melder-W1"

  Scenario: De weigering om te onderzoeken (2016) is gericht aan de melder en zegt dat de Wbk voorgaat
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "bestuursbureau"
    # ontvangen maandag 23-03-2026; de weigering komt dezelfde dag, binnen de twee weken (tot 06-04-2026)
    En de melding is vastgelegd op 2026-03-23
    Dan zegt de zaak bij haar protocol "waar deze regeling daarvan afwijkt, gaat de wet voor"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "geen_onderzoek" uitvoert met "motivering=geen redelijke gronden"
    En de "vertrouwenspersoon" "mevr.vp" brief "weigering_onderzoek" maakt
    Dan staat in de brief "Aan de melder: Melder-Reiger"
    En staat niet in de brief "ouder(s)/verzorger(s)"
    En staat in de brief "geen redelijke gronden"
    En staat in de brief "Sinds 18 februari 2023 geldt de Wet bescherming klokkenluiders; waar de regeling daarvan afwijkt, gaat de wet voor"
    En staat in de brief "U hoeft bijvoorbeeld geen reden te geven om direct extern te melden"
    En staat in de brief "Autoriteit Persoonsgegevens (AP)"
    En staat niet in de brief "Inspectie van het Onderwijs"

  Scenario: Het standpunt (2016) is gericht aan de melder, noemt de bevoegde autoriteiten en zegt dat de Wbk voorgaat
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "bestuursbureau"
    # ontvangen 23-03-2026; standpunt dezelfde dag, ruim binnen de zes weken (tot 04-05-2026)
    En de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    En de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_geven" uitvoert met "standpunt=de facturen zijn gecorrigeerd"
    En de "vertrouwenspersoon" "mevr.vp" brief "standpunt" maakt
    Dan staat in de brief "Aan de melder: Melder-Reiger"
    En staat niet in de brief "ouder(s)/verzorger(s)"
    En staat in de brief "de facturen zijn gecorrigeerd"
    En staat in de brief "waar de regeling daarvan afwijkt, gaat de wet voor"
    En staat in de brief "Huis voor Klokkenluiders"
    En staat in de brief "Nederlandse Voedsel- en Warenautoriteit (NVWA)"
    En staat niet in de brief "Inspectie van het Onderwijs"

  Scenario: Een brief aan de melder maakt alleen wie de melder mag kennen
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "bestuursbureau"
    En de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "geen_onderzoek" uitvoert met "motivering=geen redelijke gronden"
    En de "bevoegd_gezag" "dhr.bestuur" brief "weigering_onderzoek" maakt
    Dan wordt de actie geweigerd met "permission_denied"

  Scenario: Direct extern melden zonder reden (Wbk; Richtlijn 2019/1937 art. 10)
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "bestuursbureau"
    Als de "melder" "melder" actie "direct_extern_melden" uitvoert
    Dan staat de zaak in stap "extern_gemeld"

  Scenario: Direct extern melden na vastleggen, zonder reden en zonder toelichting
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "bestuursbureau"
    En de melding is vastgelegd op 2026-03-23
    Als de "vertrouwenspersoon" "mevr.vp" actie "direct_extern_melden" uitvoert
    Dan staat de zaak in stap "extern_gemeld"

  Scenario: Een Wbk-melding over de bestuurder ziet mevr.raad niet, ook niet als behandelaar; de toezichthouder behandelt haar
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-03-23
    Gegeven melder "melder.een" meldt volgens "klokkenluiders-wbk-2023" op school "de-linde" als "Melder-Een" over "bevoegd_gezag"
    Dan kan "mevr.raad" met de rollen "bevoegd_gezag,behandelaar" op "bestuur" de melding van "Melder-Een" niet openen
    En staat de melding van "Melder-Een" niet in de lijst van "mevr.raad" met de rollen "bevoegd_gezag,behandelaar" op "bestuur"
    En kan "mevr.vp" met de rollen "vertrouwenspersoon" op "bestuur" de melding van "Melder-Een" openen
    En kan "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" de melding van "Melder-Een" openen
    En staat de melding van "Melder-Een" in de lijst van "dhr.toezicht" met de rollen "toezichthouder" op "bestuur"
    Als "mevr.raad" met de rollen "bevoegd_gezag,behandelaar" op "bestuur" in de melding van "Melder-Een" actie "ontvangst_registreren" uitvoert met "ontvangen_op=2026-03-23"
    Dan wordt de actie geweigerd met "case_not_found"
    # ontvangen maandag 23-03-2026; de zeven dagen lopen tot maandag 30-03-2026
    Als "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" in de melding van "Melder-Een" actie "ontvangst_registreren" uitvoert met "ontvangen_op=2026-03-23"
    En "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" in de melding van "Melder-Een" actie "bevestiging_versturen" uitvoert met "bevestiging_verzonden_op=2026-03-23"
    Dan staat de melding van "Melder-Een" in stap "in_behandeling"
    Als "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" in de melding van "Melder-Een" brief "ontvangstbevestiging" maakt
    Dan staat in de brief "Aan de melder: Melder-Een"

  Scenario: Een Wbk-melding over het bestuur ziet ook een behandelaar niet die geen bestuurder is (Richtlijn 2019/1937 art. 9 lid 1 onder c)
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-03-23
    Gegeven melder "melder.een" meldt volgens "klokkenluiders-wbk-2023" op school "de-linde" als "Melder-Een" over "bevoegd_gezag"
    Dan kan "mevr.meldpunt" met de rollen "behandelaar" op "bestuur" de melding van "Melder-Een" niet openen
    En staat de melding van "Melder-Een" niet in de lijst van "mevr.meldpunt" met de rollen "behandelaar" op "bestuur"
    En kan "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" de melding van "Melder-Een" openen

  Scenario: Een Wbk-melding over de behandelaar ziet de behandelaar niet
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-03-23
    Gegeven melder "melder.een" meldt volgens "klokkenluiders-wbk-2023" op school "de-linde" als "Melder-Een" over "behandelaar"
    Dan kan "mevr.meldpunt" met de rollen "behandelaar" op "bestuur" de melding van "Melder-Een" niet openen
    En kan "mevr.raad" met de rollen "bevoegd_gezag,behandelaar" op "bestuur" de melding van "Melder-Een" niet openen
    En kan "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" de melding van "Melder-Een" openen

  Scenario: Een Wbk-melding over niemand behandelt de behandelaar; de toezichthouder ziet haar niet
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-03-23
    Gegeven melder "melder.een" meldt volgens "klokkenluiders-wbk-2023" op school "de-linde" als "Melder-Een" over "niemand"
    Dan kan "mevr.raad" met de rollen "bevoegd_gezag,behandelaar" op "bestuur" de melding van "Melder-Een" openen
    En kan "dhr.toezicht" met de rollen "toezichthouder" op "bestuur" de melding van "Melder-Een" niet openen
    En staat de melding van "Melder-Een" niet in de lijst van "dhr.toezicht" met de rollen "toezichthouder" op "bestuur"

  Scenario: Wie een Wbk-melding betreft, moet bij het openen vastliggen
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-03-23
    Als melder "melder.een" volgens "klokkenluiders-wbk-2023" op school "de-linde" meldt als "Melder-Een" zonder betrokkene
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "betreft"
