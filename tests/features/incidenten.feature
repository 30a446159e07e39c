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
