# language: nl
Functionaliteit: Incidenten vastleggen en ernstige incidenten melden
  Een incident wordt kort vastgelegd, los van een zaak, en kan later aan een zaak worden
  gekoppeld. Een ernstig incident (volgens de geladen incidentcategorieën) opent een meldzaak
  voor de inspectie met de termijn uit die categorieën, als het bestuur de plichten uit het
  wetsvoorstel Wet vrij en veilig onderwijs (Kamerstuk 36 777, 27-6-2025) heeft aangezet.

  Achtergrond:
    Gegeven het protocol "melding-ernstig-incident" is geladen
    En de incidentcategorieën zijn geladen
    En het is 2026-03-02

  Scenario: Een incident los vastgelegd en later aan een zaak gekoppeld
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "pesten", plaats "plein", ernst "middel", gebeurd op "2026-03-02", betrokkenen "Leerling-Mees=slachtoffer;Leerling-Bram=dader"
    Dan hoort het incident bij geen enkele zaak
    En heeft het incident geen meldzaak
    En ziet "meester.piet" van school "het-anker" geen incidenten van school "de-linde"
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    Als "juf.anna" het incident aan de zaak koppelt
    Dan hoort het incident bij de zaak
    En toont de zaak het incident

  Scenario: Een incident wordt kort na het gebeuren vastgelegd, niet in de toekomst en niet van lang geleden
    # Het is maandag 2-3-2026. Een incident van meer dan drie maanden geleden zou zijn
    # pseudoniemen kort na het vastleggen al kwijtraken (twaalf maanden na het incident) en een
    # jaarevaluatie veranderen die al gemaakt is; een ouder voorval hoort in een notitie bij de zaak.
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident probeert vast te leggen dat gebeurde op "1900-01-01"
    Dan wordt de actie geweigerd met "invalid_effective_date"
    En noemt de fout "Wanneer gebeurd: 01-01-1900 is meer dan 3 maanden geleden (vóór 02-12-2025)"
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident probeert vast te leggen dat gebeurde op "2025-12-01"
    Dan wordt de actie geweigerd met "invalid_effective_date"
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident probeert vast te leggen dat gebeurde op "2026-03-03"
    Dan wordt de actie geweigerd met "invalid_effective_date"
    En noemt de fout "Wanneer gebeurd: 03-03-2026 ligt in de toekomst"
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident probeert vast te leggen dat gebeurde op "2025-12-02"
    Dan is het incident vastgelegd als gebeurd op "2025-12-02"
    En heeft school "de-linde" 1 incident

  Scenario: Een incident wordt niet gekoppeld aan een afgesloten zaak
    # Een koppeling houdt de pseudoniemen van het incident vast zolang de zaak de hare bewaart:
    # een afgesloten zaak zou ze langer houden voor een incident dat zij nooit behandelde.
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "afsluiten" uitvoert met "motivering=het gedrag is gestopt"
    Dan is de zaak afgesloten
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "pesten", plaats "plein", ernst "middel", gebeurd op "2026-03-02", betrokkenen "Leerling-Mees=slachtoffer"
    En "juf.anna" het incident aan de zaak probeert te koppelen
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "deze zaak is afgesloten; een incident koppelt u aan een zaak die nog loopt"
    En hoort het incident bij geen enkele zaak

  Scenario: Snel vastgelegd: een record komt één keer binnen, en met dezelfde sleutel niet met iets anders
    # De telefoon maakt bij de derde tik een sleutel voor het record en verstuurt het opnieuw
    # als het antwoord verloren ging: dan blijft het één incident. Dezelfde sleutel met andere
    # gegevens is geen herhaling maar een fout: het eerste record blijft staan.
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En de leerlingenadministratie van "de-linde" heeft "Mees Jansen" in groep "5a" en "Daan Mulder" in groep "6a"
    Als "juf.anna", leerkracht van groep "5a" op "de-linde", snel vastlegt met sleutel 1: leerling "Mees J." als "slachtoffer", soort "pesten", plaats "plein"
    En "juf.anna", leerkracht van groep "5a" op "de-linde", snel vastlegt met sleutel 1: leerling "Mees J." als "slachtoffer", soort "pesten", plaats "plein"
    Dan heeft school "de-linde" 1 incident
    Als "juf.anna", leerkracht van groep "5a" op "de-linde", snel vastlegt met sleutel 1: leerling "Mees J." als "slachtoffer", soort "vernieling", plaats "gang"
    Dan wordt de actie geweigerd met "quick_record_conflict"
    En noemt de fout "anders: soort, plaats"
    En heeft school "de-linde" 1 incident
    # de telefoon biedt alleen de leerlingen van de eigen groepen aan
    Als "juf.anna", leerkracht van groep "5a" op "de-linde", snel vastlegt met sleutel 2: leerling "Daan M." als "dader", soort "pesten", plaats "plein"
    Dan wordt de actie geweigerd met "invalid_input"
    En noemt de fout "staat niet in de leerlingenlijst van uw groepen"
    En heeft school "de-linde" 1 incident

  Scenario: Een ernstig incident maakt een meldplicht met haar termijn
    Gegeven het bestuur "stichting-demo" heeft de plichten uit het wetsvoorstel aangezet
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "fysiek_geweld_letsel", plaats "plein", ernst "ernstig", gebeurd op "2026-03-02", betrokkenen "Leerling-Mees=slachtoffer;Leerling-Bram=dader"
    Dan heeft het incident een meldzaak in stap "te_melden" aan "inspectie"
    # Vastgelegd maandag 2-3-2026; de categorieën geven 5 werkdagen. De termijn begint de dag
    # erna (Awb 6:8): di 3, wo 4, do 5, vr 6, ma 9 maart; geen feestdag ertussen.
    En heeft de termijn "melding_ernstig_incident" einddatum "2026-03-09" en status "open"
    En noemt de meldzaak geen pseudoniem van een betrokkene
    Als het is 2026-03-05
    En de "directeur" "mevr.wit" actie "melding_verzonden" uitvoert met "melding_verzonden_op=2026-03-05;wijze_van_melden=portaal inspectie"
    Dan staat de zaak in stap "gemeld"
    En heeft de termijn "melding_ernstig_incident" einddatum "2026-03-09" en status "vervuld"

  Scenario: Bedreiging met een wapen: inspectie en politie, de volgende werkdag
    Gegeven het bestuur "stichting-demo" heeft de plichten uit het wetsvoorstel aangezet
    En het is 2026-04-03
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "bedreiging_wapen", plaats "plein", ernst "ernstig", gebeurd op "2026-04-03", betrokkenen "Leerling-Bram=dader"
    Dan heeft het incident een meldzaak in stap "te_melden" aan "inspectie en politie"
    # Vastgelegd op vrijdag 3-4-2026 (Goede Vrijdag); 1 werkdag vanaf de dag erna: za 4 en
    # zo 5 april zijn geen werkdagen, ma 6 april is tweede Paasdag; de eerste werkdag is di 7 april.
    En heeft de termijn "melding_ernstig_incident" einddatum "2026-04-07" en status "open"

  Scenario: Een incident dat niet ernstig is, maakt geen meldplicht
    Gegeven het bestuur "stichting-demo" heeft de plichten uit het wetsvoorstel aangezet
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "pesten", plaats "klas", ernst "ernstig", gebeurd op "2026-03-02", betrokkenen "Leerling-Mees=slachtoffer"
    Dan heeft het incident geen meldzaak

  Scenario: Zonder de keuze van het bestuur maakt een ernstig incident nog geen meldplicht
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "fysiek_geweld_letsel", plaats "plein", ernst "ernstig", gebeurd op "2026-03-02", betrokkenen "Leerling-Mees=slachtoffer"
    Dan heeft het incident geen meldzaak

  Scenario: Nieuwe categorieën worden geladen als nieuwe versie, zonder codewijziging
    Als de incidentcategorieën opnieuw worden geladen met voor "pesten" het label "Pesten of buitensluiten"
    Dan zijn de incidentcategorieën versie 2 met voor "pesten" het label "Pesten of buitensluiten"
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "pesten", plaats "klas", ernst "licht", gebeurd op "2026-03-02", betrokkenen "Leerling-Mees=getuige"
    Dan is het incident ingedeeld volgens categorieënversie 2

  Scenario: De pseudoniemen van een incident worden na twaalf maanden gewist, het log blijft in orde
    Als de "leerkracht" "juf.anna" op school "de-linde" een incident vastlegt: soort "pesten", plaats "plein", ernst "middel", gebeurd op "2026-03-02", betrokkenen "Leerling-Mees=slachtoffer;Leerling-Bram=dader"
    # Gebeurd op 2-3-2026: de pseudoniemen blijven twaalf maanden, tot en met 2-3-2027.
    Als het is 2027-03-02
    En de bewaartermijnen worden toegepast
    Dan noemt het incident de betrokkenen "Leerling-Mees=slachtoffer;Leerling-Bram=dader"
    Als het is 2027-03-03
    En de bewaartermijnen worden toegepast
    Dan noemt het incident de betrokkenen "[geanonimiseerd]=slachtoffer;[geanonimiseerd]=dader"
    En is het incidentenlog in orde
