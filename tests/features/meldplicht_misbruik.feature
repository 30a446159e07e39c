# language: nl
Functionaliteit: Meldplicht en aangifteplicht bij misbruik door een professional
  Bijlage 7: een medewerker meldt onmiddellijk aan het bevoegd gezag, dat direct overlegt met
  de vertrouwensinspecteur; bij een redelijk vermoeden volgen informeren en aangifte.

  Achtergrond:
    Gegeven het protocol "meldplicht-misbruik" is geladen
    En het is 2026-06-09
    En een zaak volgens "meldplicht-misbruik" voor leerling "Leerling-Wouw" op school "de-linde"

  Scenario: Redelijk vermoeden: informeren, aangifte en vervolgbesluiten
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=leerling vertelt over aanraking"
    Dan heeft de termijn "overleg_vertrouwensinspecteur" einddatum "2026-06-09" en status "open"
    Als de "bevoegd_gezag" "mevr.raad" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=redelijk vermoeden, aangifte doen"
    Dan heeft de termijn "overleg_vertrouwensinspecteur" einddatum "2026-06-09" en status "vervuld"
    Als de "bevoegd_gezag" "mevr.raad" actie "beoordeling:ja" uitvoert met "motivering=redelijk vermoeden vastgesteld"
    En de "bevoegd_gezag" "mevr.raad" actie "aangifte_doen" uitvoert met "aangifte_gedaan_bij=politie, afdeling zeden"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "betrokkenen_geinformeerd"
    Als de "bevoegd_gezag" "mevr.raad" actie "aangifte_doen" uitvoert met "aangifte_gedaan_bij=politie, afdeling zeden;betrokkenen_geinformeerd=ja"
    Dan staat de zaak in stap "vervolg"
    Als de "bevoegd_gezag" "mevr.raad" actie "vervolgbesluit_vastleggen" uitvoert met "vervolgbesluit=aangeklaagde tijdelijk andere taken"
    En de "bevoegd_gezag" "mevr.raad" actie "afsluiten" uitvoert met "motivering=vervolg belegd"
    Dan staat de zaak in stap "afgesloten"

  Scenario: Geen redelijk vermoeden: geen aangifte
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=gerucht"
    En de "bevoegd_gezag" "mevr.raad" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=geen strafbaar feit"
    En de "bevoegd_gezag" "mevr.raad" actie "beoordeling:nee" uitvoert met "motivering=geen aanwijzingen"
    Dan staat de zaak in stap "afgesloten_geen_vermoeden"

  Scenario: Het overleg met de vertrouwensinspecteur niet dezelfde dag vastgelegd
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=signaal"
    En de tijd verstrijkt tot 2026-06-10
    Dan heeft de termijn "overleg_vertrouwensinspecteur" einddatum "2026-06-09" en status "verlopen"

  Scenario: Alleen het bevoegd gezag beoordeelt
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=signaal"
    En de "medewerker" "mr.jan" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=x"
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "Alleen het bevoegd gezag mag"

  Scenario: Een melding op zaterdag moet dezelfde dag worden voorgelegd (geen verlenging)
    Gegeven het is 2026-06-13
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=bericht in het weekend"
    Dan heeft de termijn "overleg_vertrouwensinspecteur" einddatum "2026-06-13" en status "open"

  Scenario: Onmiddellijk melden is een termijn van dezelfde dag (seed 004 regel 1450)
    # vermoeden vastgelegd dinsdag 9 juni 2026: melden bij het bevoegd gezag uiterlijk diezelfde dag
    Dan heeft de termijn "onmiddellijk_gemeld" einddatum "2026-06-09" en status "open"
    Als de tijd verstrijkt tot 2026-06-10
    Dan heeft de termijn "onmiddellijk_gemeld" einddatum "2026-06-09" en status "verlopen"
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=leerling vertelt over aanraking"
    Dan heeft de termijn "onmiddellijk_gemeld" einddatum "2026-06-09" en status "te laat vervuld"
    En heeft de termijn "overleg_vertrouwensinspecteur" einddatum "2026-06-10" en status "open"

  Scenario: Rehabilitatie na een valse beschuldiging (seed 004 regel 1471-1476)
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=beschuldiging door een leerling"
    En de "bevoegd_gezag" "mevr.raad" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=redelijk vermoeden"
    En de "bevoegd_gezag" "mevr.raad" actie "beoordeling:ja" uitvoert met "motivering=redelijk vermoeden vastgesteld"
    En de "bevoegd_gezag" "mevr.raad" actie "aangifte_doen" uitvoert met "aangifte_gedaan_bij=politie;betrokkenen_geinformeerd=ja"
    Dan mag de "bevoegd_gezag" nu "vervolgbesluit_vastleggen, valse_beschuldiging_vastleggen, afsluiten"
    Als de "bevoegd_gezag" "mevr.raad" actie "valse_beschuldiging_vastleggen" uitvoert met "uitkomst_justitieel_onderzoek=sepot: de klacht bleek verzonnen;motivering=uitkomst van het OM"
    Dan staat de zaak in stap "rehabilitatie"
    # het traject wordt in overleg met de valselijk beschuldigde samengesteld (regel 1472)
    Als de "bevoegd_gezag" "mevr.raad" actie "rehabilitatie_aanbieden" uitvoert met "rehabilitatietraject=brief aan de ouders en een teamgesprek"
    Dan wordt de actie geweigerd met "missing_input"
    En noemt de fout "in_overleg_met_beschuldigde"
    Als de "bevoegd_gezag" "mevr.raad" actie "rehabilitatie_aanbieden" uitvoert met "rehabilitatietraject=brief aan de ouders en een teamgesprek;in_overleg_met_beschuldigde=ja"
    En de "bevoegd_gezag" "mevr.raad" actie "maatregel_vastleggen" uitvoert met "maatregel_valse_beschuldiging=excuses aangeboden;motivering=regel 1474"
    En de "bevoegd_gezag" "mevr.raad" actie "afsluiten" uitvoert met "motivering=rehabilitatie afgerond"
    Dan staat de zaak in stap "afgesloten"

  Scenario: Een verplichting die een actie vervult, wordt alleen met die actie vastgelegd, met haar invoer
    # "onmiddellijk gemeld" vervult de actie melden_bij_bevoegd_gezag, die een motivering vraagt
    Als de "medewerker" "mr.jan" actie "onmiddellijk_gemeld" uitvoert
    Dan wordt de actie geweigerd met "recorded_by_action"
    En noemt de fout "melden_bij_bevoegd_gezag"
    En heeft de termijn "onmiddellijk_gemeld" einddatum "2026-06-09" en status "open"

  Scenario: De valselijk beschuldigde kan bij de klachtencommissie klagen: een gekoppelde klachtzaak (seed 004 regel 1483)
    Gegeven het protocol "klachtenregeling" is geladen
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=beschuldiging door een leerling"
    En de "bevoegd_gezag" "mevr.raad" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=redelijk vermoeden"
    En de "bevoegd_gezag" "mevr.raad" actie "beoordeling:ja" uitvoert met "motivering=redelijk vermoeden vastgesteld"
    En de "bevoegd_gezag" "mevr.raad" actie "aangifte_doen" uitvoert met "aangifte_gedaan_bij=politie;betrokkenen_geinformeerd=ja"
    En de "bevoegd_gezag" "mevr.raad" actie "klacht_openen" uitvoert met "beschuldigde_als_klager=Medewerker-Ekster"
    # alleen vanuit de rehabilitatie, na een justitieel onderzoek dat de klacht vals bevond
    Dan wordt de actie geweigerd met "transition_not_allowed"
    Als de "bevoegd_gezag" "mevr.raad" actie "valse_beschuldiging_vastleggen" uitvoert met "uitkomst_justitieel_onderzoek=sepot: de klacht bleek verzonnen;motivering=uitkomst van het OM"
    En de "bevoegd_gezag" "mevr.raad" actie "klacht_openen" uitvoert met "beschuldigde_als_klager=Medewerker-Ekster"
    Dan is een gekoppelde zaak geopend volgens "klachtenregeling" voor leerling "Medewerker-Ekster"
    En staat de koppeling op beide zaakpagina's en zijn beide audittrails in orde
    # de klachtzaak begint bij de vertrouwenspersoon: alleen de klager beslist of hij op naam klaagt
    En staat de gekoppelde zaak in stap "signaal" en ziet de "interne_vertrouwenspersoon" als betrokkene "Medewerker-Ekster"
    En staat de gekoppelde zaak in stap "signaal" en ziet de "bevoegd_gezag" als betrokkene "(afgeschermd)"
