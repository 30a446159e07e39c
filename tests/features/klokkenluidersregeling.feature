# language: nl
Functionaliteit: Klokkenluidersregeling PO/VO (model 2016)
  Het bevoegd gezag legt de melding vast (art. 4), besluit binnen twee weken over onderzoek
  (art. 6), geeft binnen zes weken een standpunt of stelt eenmaal gemotiveerd uit (art. 7),
  hoort de melder (art. 8); daarna mag de melder extern melden (art. 9).

  Achtergrond:
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "bestuursbureau"

  Scenario: Vastleggen met afschrift; geen onderzoek, gemotiveerd binnen twee weken
    Als de "vertrouwenspersoon" "mevr.vp" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-21"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "afschrift_verstrekt"
    Als de "vertrouwenspersoon" "mevr.vp" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-21;afschrift_verstrekt=ja"
    Dan staat de zaak in stap "vastgelegd"
    En heeft de termijn "besluit_over_onderzoek" einddatum "2026-04-04" en status "open"
    En heeft de termijn "standpunt_binnen_zes_weken" einddatum "2026-05-02" en status "open"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "geen_onderzoek" uitvoert met "motivering=geen redelijke gronden"
    Dan staat de zaak in stap "geen_onderzoek_besloten"
    En heeft de termijn "besluit_over_onderzoek" einddatum "2026-04-04" en status "vervuld"
    Als de "bevoegd_gezag" "dhr.bestuur" brief "weigering_onderzoek" maakt
    Dan wordt de actie geweigerd met "permission_denied"
    Als de "vertrouwenspersoon" "mevr.vp" brief "weigering_onderzoek" maakt
    Dan staat in de brief "ontvangen op 21 maart 2026"
    En staat in de brief "geen redelijke gronden"

  Scenario: De identiteit van de melder blijft afgeschermd tot hij instemt
    Dan ziet de "vertrouwenspersoon" als betrokkene "Melder-Reiger"
    En ziet de "bevoegd_gezag" als betrokkene "(afgeschermd)"
    Als de "vertrouwenspersoon" "mevr.vp" actie "identiteit_vrijgeven" uitvoert met "identiteit_delen=ja"
    Dan ziet de "bevoegd_gezag" als betrokkene "Melder-Reiger"

  Scenario: Onderzoek, standpunt op tijd, hoor en wederhoor, afsluiten
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    Dan heeft de termijn "besluit_over_onderzoek" einddatum "2026-04-06" en status "vervuld"
    Als het is 2026-04-20
    En de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_geven" uitvoert met "standpunt=misstand bevestigd, maatregelen genomen"
    Dan staat de zaak in stap "standpunt"
    En heeft de termijn "standpunt_binnen_zes_weken" einddatum "2026-05-04" en status "vervuld"
    Als de "vertrouwenspersoon" "mevr.vp" brief "standpunt" maakt
    Dan staat in de brief "misstand bevestigd, maatregelen genomen"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "reactie_vastleggen" uitvoert met "reactie_melder=akkoord;standpunt_betwist=nee"
    # wiens standpunt het is, legt niet vast of de melder het betwist (art. 8 en 9)
    Dan wordt de actie geweigerd met "permission_denied"
    Als de "vertrouwenspersoon" "mevr.vp" actie "reactie_vastleggen" uitvoert met "reactie_melder=akkoord;standpunt_betwist=nee"
    En de "melder" "melder" actie "extern_melden" uitvoert met "motivering=toch extern"
    Dan wordt de actie geweigerd met "guard_failed"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "afsluiten" uitvoert met "motivering=afgehandeld"
    Dan staat de zaak in stap "afgesloten"

  Scenario: Eenmaal uitstel; daarna te laat, dus extern melden mag
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    En de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_uitstellen" uitvoert met "motivering=getuigen onbereikbaar;nieuwe_termijn=2026-05-29"
    Dan heeft de termijn "standpunt_binnen_zes_weken" einddatum "2026-05-04" en status "vervuld"
    En heeft de termijn "standpunt_na_uitstel" einddatum "2026-05-29" en status "open"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_uitstellen" uitvoert met "motivering=nog meer tijd;nieuwe_termijn=2026-06-30"
    Dan wordt de actie geweigerd met "guard_failed"
    Als de "melder" "melder" actie "extern_melden" uitvoert met "motivering=duurt te lang"
    Dan wordt de actie geweigerd met "guard_failed"
    Als de tijd verstrijkt tot 2026-05-30
    Dan heeft de termijn "standpunt_na_uitstel" einddatum "2026-05-29" en status "verlopen"
    Als de "melder" "melder" actie "extern_melden" uitvoert met "motivering=geen standpunt binnen de nieuwe termijn"
    Dan staat de zaak in stap "extern_gemeld"

  Scenario: Standpunt betwist: aanvullend onderzoek met een nieuwe termijn van zes weken
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    En de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_geven" uitvoert met "standpunt=geen misstand"
    En de "vertrouwenspersoon" "mevr.vp" actie "reactie_vastleggen" uitvoert met "reactie_melder=getuige niet gehoord;standpunt_betwist=ja"
    En het is 2026-03-30
    En de "bevoegd_gezag" "dhr.bestuur" actie "aanvullend_onderzoeken" uitvoert met "motivering=getuige alsnog horen"
    Dan staat de zaak in stap "aanvullend_onderzoek"
    En heeft de termijn "standpunt_aanvullend" einddatum "2026-05-11" en status "open"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_geven" uitvoert met "standpunt=misstand alsnog bevestigd"
    Dan heeft de termijn "standpunt_aanvullend" einddatum "2026-05-11" en status "vervuld"

  Scenario: Een uitstel na de zes weken neemt het recht op externe melding niet weg (art. 7 lid 2; art. 9 lid 1 onder b)
    # ontvangen maandag 23 maart 2026; zes weken na 23 maart is maandag 4 mei 2026 (kalender, geen Atw)
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    En de tijd verstrijkt tot 2026-05-06
    Dan heeft de termijn "standpunt_binnen_zes_weken" einddatum "2026-05-04" en status "verlopen"
    Als de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_uitstellen" uitvoert met "motivering=te laat;nieuwe_termijn=2026-06-30"
    Dan wordt de actie geweigerd met "guard_failed"
    Als de "melder" "melder" actie "extern_melden" uitvoert met "motivering=geen standpunt binnen zes weken"
    Dan staat de zaak in stap "extern_gemeld"

  Scenario: De melder is het niet eens met het standpunt en meldt extern (art. 8 lid 2; art. 9 lid 1 onder a)
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "onderzoek_instellen" uitvoert met "onderzoeker=extern bureau"
    En de "bevoegd_gezag" "dhr.bestuur" actie "standpunt_geven" uitvoert met "standpunt=geen misstand"
    En de "melder" "melder" actie "reactie_vastleggen" uitvoert met "reactie_melder=het onderzoek sloeg de kern over;standpunt_betwist=ja"
    En de "melder" "melder" actie "extern_melden" uitvoert met "motivering=oneens met het standpunt"
    Dan staat de zaak in stap "extern_gemeld"

  Scenario: Na een weigering om te onderzoeken kan de melder extern melden (art. 6 lid 2; art. 9 lid 1 onder a)
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "bevoegd_gezag" "dhr.bestuur" actie "geen_onderzoek" uitvoert met "motivering=geen redelijke gronden"
    Dan staat de zaak in stap "geen_onderzoek_besloten"
    Als de "melder" "melder" actie "reactie_vastleggen" uitvoert met "reactie_melder=er zijn wel gronden;standpunt_betwist=ja"
    En de "melder" "melder" actie "extern_melden" uitvoert met "motivering=oneens met de weigering"
    Dan staat de zaak in stap "extern_gemeld"

  Scenario: Direct extern melden als een interne melding niet kan worden gevergd (art. 9 lid 2)
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "melder" "melder" actie "direct_extern_melden" uitvoert met "motivering=het betreft de bestuurder;grond_direct_extern=het betreft een bestuurder of toezichthouder"
    Dan staat de zaak in stap "extern_gemeld"
