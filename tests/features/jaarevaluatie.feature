# language: nl
Functionaliteit: De jaarevaluatie sociale veiligheid
  Per school en per bestuur telt de jaarevaluatie de incidenten, zaken, klachten, meldingen en
  termijnen van een schooljaar (1 augustus tot en met 31 juli). Een klein aantal (1 tot en met 4)
  wordt verborgen; waar een totaal het zou verraden, wordt een tweede getal verborgen
  (aanvullende onderdrukking), zodat het ook met de totalen niet is terug te rekenen.

  Achtergrond:
    Gegeven de incidentcategorieën zijn geladen
    En het is 2026-06-30

  Scenario: Een verborgen klein aantal dat niet uit de totalen is terug te rekenen
    Gegeven op school "de-linde" zijn op "2025-10-01" 6 incidenten vastgelegd: soort "pesten", plaats "plein", ernst "middel"
    En op school "de-linde" zijn op "2025-11-03" 7 incidenten vastgelegd: soort "pesten", plaats "klas", ernst "licht"
    En op school "de-linde" zijn op "2026-01-12" 2 incidenten vastgelegd: soort "verbaal_geweld", plaats "plein", ernst "licht"
    En op school "de-linde" zijn op "2026-02-02" 8 incidenten vastgelegd: soort "verbaal_geweld", plaats "klas", ernst "middel"
    # vorig schooljaar (dat liep tot en met 31 juli 2025): telt niet mee
    En op school "de-linde" zijn op "2025-07-15" 1 incidenten vastgelegd: soort "pesten", plaats "gang", ernst "licht"
    Als de directeur "dhr.bos" de jaarevaluatie 2025-2026 van school "de-linde" maakt
    # Verbaal geweld, licht = 2: klein, dus verborgen (<5). Met het rijtotaal 10 zou 10 - 8 = 2
    # het verraden, dus ook de 8 ernaast (x); met het kolomtotaal 9 zou 9 - 7 = 2 het verraden,
    # dus ook de 7 erboven (x); dan verraadt het rijtotaal 13 die 7 (13 - 6), dus ook de 6 (x).
    Dan toont de tabel "Incidenten naar soort en ernst" in de rij "Verbaal geweld": "<5", "x", "10"
    En toont de tabel "Incidenten naar soort en ernst" in de rij "Pesten": "x", "x", "13"
    En toont de tabel "Incidenten naar soort en ernst" in de rij "totaal": "9", "14", "23"
    En is in de tabel "Incidenten naar soort en ernst" het getal bij "Verbaal geweld" en "Licht" verborgen omdat het klein is
    En is in de tabel "Incidenten naar soort en ernst" het getal bij "Pesten" en "Middel" verborgen omdat het een klein getal zou verraden
    En is geen verborgen getal van de tabel "Incidenten naar soort en ernst" uit de getoonde getallen en totalen terug te rekenen
    En zou het kleine getal van de tabel "Incidenten naar soort en ernst" terug te rekenen zijn als alleen dat verborgen was
    En toont de tabel "Incidenten naar plaats" in de rij "Klas": "15"
    En toont de tabel "Incidenten naar plaats" in de rij "totaal": "23"
    En toont de tabel "Incidenten per maand" in de rij "juli": "0"
    En toont de tabel "Incidenten per maand" in de rij "januari": "<5"
