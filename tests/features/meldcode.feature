# language: nl
Functionaliteit: Meldcode huiselijk geweld en kindermishandeling met het afwegingskader
  De aandachtsfunctionaris doorloopt de vijf stappen (§14.2) en beantwoordt de vragen van het
  afwegingskader (Bijlage 27), elk met een motivering. Na een melding besluit Veilig Thuis
  binnen vijf werkdagen (Achtergrondinformatie 2).

  Achtergrond:
    Gegeven het protocol "meldcode-hgkm" is geladen
    En het is 2026-04-20
    En een zaak volgens "meldcode-hgkm" voor leerling "Leerling-Merel" op school "de-linde"

  Scenario: Geen vermoeden: afsluiten en vastleggen
    Als de "aandachtsfunctionaris" "mevr.smit" actie "consulteren" uitvoert met "motivering=blauwe plekken gezien"
    En de "aandachtsfunctionaris" "mevr.smit" actie "gesprek_voeren" uitvoert
    En de "aandachtsfunctionaris" "mevr.smit" actie "wegen" uitvoert met "motivering=verklaring van ouders past"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afwegen" uitvoert
    Dan mag de "aandachtsfunctionaris" nu "afweging_1:nee, afweging_1:ja, rapportage_vastleggen, direct_melden, advies_vragen"
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:nee" uitvoert
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "motivering"
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:nee" uitvoert met "motivering=sportblessure, bevestigd door de huisarts"
    Dan staat de zaak in stap "afgesloten_geen_vermoeden"
    En is de zaak afgesloten
    En is de laatste gebeurtenis "decision" door "mevr.smit"

  Scenario: Acute onveiligheid: melden, en Veilig Thuis koppelt binnen vijf werkdagen terug (over 5 mei heen)
    Gegeven de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:ja" uitvoert met "motivering=vermoeden van mishandeling"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_2:ja" uitvoert met "motivering=kind durft niet naar huis"
    Dan staat de zaak in stap "melden"
    Als het is 2026-04-30
    En de "directeur" "dhr.bos" actie "ouders_inlichten_over_melding" uitvoert met "ouders_ingelicht_over_melding=ja"
    En de "directeur" "dhr.bos" actie "melding_gedaan" uitvoert met "motivering=gemeld bij Veilig Thuis"
    Dan heeft de termijn "terugkoppeling_veilig_thuis" einddatum "2026-05-08" en status "open"
    Als de "directeur" "dhr.bos" actie "zorg_vastleggen" uitvoert met "motivering=school blijft volgen"
    Dan wordt de actie geweigerd met "guard_failed"
    Als de tijd verstrijkt tot 2026-05-09
    Dan heeft de termijn "terugkoppeling_veilig_thuis" einddatum "2026-05-08" en status "verlopen"
    En escaleert de laatste gebeurtenis naar niemand
    Als de "aandachtsfunctionaris" "mevr.smit" actie "terugkoppeling_ontvangen" uitvoert met "terugkoppeling=VT zet voorwaarden en vervolg in"
    Dan heeft de termijn "terugkoppeling_veilig_thuis" einddatum "2026-05-08" en status "te laat vervuld"
    Als de "directeur" "dhr.bos" actie "zorg_vastleggen" uitvoert met "motivering=wekelijks gesprek met de leerling"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "afwegingen_met_veilig_thuis"
    Als de "directeur" "dhr.bos" actie "zorg_vastleggen" uitvoert met "afwegingen_met_veilig_thuis=VT neemt de hulp over, de school blijft signaleren;motivering=wekelijks gesprek met de leerling"
    Dan staat de zaak in stap "afgesloten_na_melding"

  Scenario: Na een melding doorloopt de school de afwegingen 3 tot en met 5 samen met Veilig Thuis (seed 004 regel 2434-2437)
    Gegeven de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:ja" uitvoert met "motivering=vermoeden"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_2:ja" uitvoert met "motivering=herhaald geweld thuis"
    En de "aandachtsfunctionaris" "mevr.smit" actie "ouders_inlichten_over_melding" uitvoert met "ouders_ingelicht_over_melding=ja"
    En de "aandachtsfunctionaris" "mevr.smit" actie "melding_gedaan" uitvoert met "motivering=gemeld"
    # de afwegingen 3 en 4 volgen pas na de terugkoppeling, samen met Veilig Thuis
    Dan mag de "aandachtsfunctionaris" nu "rapportage_vastleggen, terugkoppeling_ontvangen"
    Als de "aandachtsfunctionaris" "mevr.smit" actie "terugkoppeling_ontvangen" uitvoert met "terugkoppeling=VT adviseert hulp via de school"
    En de "aandachtsfunctionaris" "mevr.smit" actie "samen_hulp_organiseren" uitvoert met "afwegingen_met_veilig_thuis=school organiseert schoolmaatschappelijk werk, VT volgt;hulpafspraken=wekelijks schoolmaatschappelijk werk;evaluatiedatum=2026-06-15"
    Dan staat de zaak in stap "hulp"
    En heeft de termijn "evaluatie_hulp" einddatum "2026-06-15" en status "open"
    # afweging 5 volgt op de evaluatiedatum; zonder resultaat opnieuw melden
    Als de tijd verstrijkt tot 2026-06-16
    Dan staat de zaak in stap "afweging_5"

  Abstract Scenario: Melden omdat <reden>
    Gegeven de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:ja" uitvoert met "motivering=vermoeden"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_2:nee" uitvoert met "motivering=niet acuut"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_3:<antwoord 3>" uitvoert met "motivering=m3"
    En de "aandachtsfunctionaris" "mevr.smit" actie "<laatste>" uitvoert met "<invoer>"
    Dan staat de zaak in stap "melden"

    Voorbeelden:
      | reden                               | antwoord 3 | laatste        | invoer                             |
      | de school geen hulp kan organiseren | nee        | advies_vragen  | advies_veilig_thuis=melding doen   |
      | de ouders de hulp niet aanvaarden   | ja         | afweging_4:nee | motivering=ouders weigeren hulp    |

  Scenario: Hulp met een afgesproken termijn, daarna afweging 5
    Gegeven de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:ja" uitvoert met "motivering=vermoeden"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_2:nee" uitvoert met "motivering=niet acuut"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_3:ja" uitvoert met "motivering=opvoedondersteuning mogelijk"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_4:ja" uitvoert met "motivering=ouders willen meewerken"
    Dan staat de zaak in stap "hulp"
    En heeft de termijn "evaluatie_hulp" status "wachtend"
    Als de "aandachtsfunctionaris" "mevr.smit" actie "hulp_afspreken" uitvoert met "hulpafspraken=opvoedcursus;evaluatiedatum=2026-06-14"
    Dan heeft de termijn "evaluatie_hulp" einddatum "2026-06-14" en status "open"
    Als de tijd verstrijkt tot 2026-06-15
    Dan staat de zaak in stap "afweging_5"
    En is de laatste gebeurtenis "timer_fired" door "systeem"
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_5:ja" uitvoert met "motivering=situatie verbeterd"
    En de "aandachtsfunctionaris" "mevr.smit" actie "volgen_afspreken" uitvoert met "volgafspraken=maandelijks contact"
    Dan staat de zaak in stap "afgesloten_na_hulp"
    En is de zaak afgesloten

  Scenario: Hulp zonder resultaat: opnieuw melden
    Gegeven de zaak staat in stap "hulp" met evaluatie op 2026-05-01
    Als de tijd verstrijkt tot 2026-05-02
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_5:nee" uitvoert met "motivering=zorgen nemen toe"
    Dan staat de zaak in stap "melden"

  Scenario: Het gesprek overslaan als het de veiligheid in gevaar brengt
    Als de "aandachtsfunctionaris" "mevr.smit" actie "consulteren" uitvoert met "motivering=signalen"
    En de "aandachtsfunctionaris" "mevr.smit" actie "gesprek_overslaan" uitvoert met "motivering=dreiging van vader"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "gevaar_bij_gesprek"
    Als de "aandachtsfunctionaris" "mevr.smit" actie "gesprek_overslaan" uitvoert met "motivering=dreiging van vader;gevaar_bij_gesprek=ja"
    Dan staat de zaak in stap "wegen"

  Scenario: Advies van Veilig Thuis in elke stap
    Als de "aandachtsfunctionaris" "mevr.smit" actie "advies_vragen" uitvoert met "advies_veilig_thuis=eerst gesprek met ouders"
    Dan staat de zaak in stap "signalen"
    En is de laatste gebeurtenis "facts_recorded" door "mevr.smit"

  Scenario: Geen melding voordat de ouders zijn ingelicht (seed 004 regel 2012 en 2945)
    Gegeven de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:ja" uitvoert met "motivering=vermoeden van mishandeling"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_2:ja" uitvoert met "motivering=kind durft niet naar huis"
    En de "directeur" "dhr.bos" actie "melding_gedaan" uitvoert met "motivering=gemeld bij Veilig Thuis"
    Dan wordt de actie geweigerd met "guard_failed"
    En noemt de fout "ouders_ingelicht_over_melding"
    Als de "directeur" "dhr.bos" actie "ouders_inlichten_over_melding" uitvoert met "ouders_ingelicht_over_melding=ja"
    En de "directeur" "dhr.bos" actie "melding_gedaan" uitvoert met "motivering=gemeld bij Veilig Thuis"
    Dan staat de zaak in stap "gemeld"

  Scenario: Een vastgelegde veiligheidsuitzondering laat melden toe zonder de ouders vooraf in te lichten (seed 004 regel 2012)
    Gegeven de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:ja" uitvoert met "motivering=vermoeden van mishandeling"
    En de "aandachtsfunctionaris" "mevr.smit" actie "afweging_2:ja" uitvoert met "motivering=kind durft niet naar huis"
    En de "aandachtsfunctionaris" "mevr.smit" actie "veiligheidsuitzondering_vastleggen" uitvoert met "veiligheidsuitzondering=ja;motivering=vader dreigde het kind iets aan te doen"
    En de "directeur" "dhr.bos" actie "melding_gedaan" uitvoert met "motivering=gemeld bij Veilig Thuis"
    Dan staat de zaak in stap "gemeld"

  Scenario: Bij acute onveiligheid wordt direct gemeld (seed 004 regel 2429)
    Als de "aandachtsfunctionaris" "mevr.smit" actie "direct_melden" uitvoert met "acuut_onveilig=ja;motivering=kind met letsel, vader dreigt"
    Dan staat de zaak in stap "melden"
    Als de "directeur" "dhr.bos" actie "melding_gedaan" uitvoert met "motivering=direct gemeld bij Veilig Thuis"
    Dan staat de zaak in stap "gemeld"

  Scenario: Het gesprek overslaan en zonder vooroverleg melden (seed 004 regel 706)
    Als de "aandachtsfunctionaris" "mevr.smit" actie "consulteren" uitvoert met "motivering=signalen besproken"
    En de "aandachtsfunctionaris" "mevr.smit" actie "gesprek_overslaan_en_melden" uitvoert met "gevaar_bij_gesprek=ja;motivering=moeder wordt bedreigd"
    Dan staat de zaak in stap "melden"
    Als de "directeur" "dhr.bos" actie "melding_gedaan" uitvoert met "motivering=gemeld"
    Dan staat de zaak in stap "gemeld"

  Scenario: De leerkracht registreert de signalen en draagt ze over (seed 004 regel 263-266)
    Als de "leerkracht" "juf.anna" actie "signalen_overdragen" uitvoert met "signalen_gedeeld=ja;motivering=blauwe plekken gezien, besproken met de aandachtsfunctionaris"
    Dan is de laatste gebeurtenis "facts_recorded" door "juf.anna"
    En mag de "leerkracht" nu "signalen_overdragen"
