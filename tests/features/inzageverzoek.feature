# language: nl
Functionaliteit: Een inzageverzoek is zelf een zaak (AVG art. 12 en 15)
  Antwoord binnen een maand; eenmaal verlengen met twee maanden kan alleen binnen die maand.

  Achtergrond:
    Gegeven het protocol "inzageverzoek" is geladen
    En het is 2026-01-05
    En een zaak volgens "inzageverzoek" voor leerling "Leerling-Reiger" op school "de-linde"
    Als de "privacyfunctionaris" "dhr.privacy" actie "registreren" uitvoert met "ontvangen_op=2026-01-05"

  Scenario: Binnen een maand beantwoord
    Dan heeft de termijn "antwoord_binnen_een_maand" einddatum "2026-02-05" en status "open"
    Als de "privacyfunctionaris" "dhr.privacy" actie "beantwoorden" uitvoert met "motivering=export verstrekt"
    Dan staat de zaak in stap "beantwoord"
    En heeft de termijn "antwoord_binnen_een_maand" einddatum "2026-02-05" en status "vervuld"

  Scenario: Verlengd binnen de eerste maand: antwoord binnen drie maanden na ontvangst
    Als het is 2026-01-20
    En de "privacyfunctionaris" "dhr.privacy" actie "verlengen" uitvoert met "motivering=veel gegevens over meerdere jaren"
    Dan staat de zaak in stap "verlengd"
    En heeft de termijn "antwoord_na_verlenging" einddatum "2026-04-05" en status "open"
    Als de "directeur" "dhr.bos" actie "verzoek_ontvangen" uitvoert met "verzoek=correctie;verzoek_ontvangen_op=2026-01-20"
    En de "directeur" "dhr.bos" actie "verzoek_beslissen" uitvoert met "besluit=afgewezen;motivering=feitelijk juist"
    En de "privacyfunctionaris" "dhr.privacy" actie "beantwoorden" uitvoert met "motivering=export verstrekt"
    Dan heeft de termijn "antwoord_na_verlenging" einddatum "2026-04-05" en status "vervuld"

  Scenario: Na de eerste maand kan niet meer worden verlengd
    Als de tijd verstrijkt tot 2026-02-06
    Dan heeft de termijn "antwoord_binnen_een_maand" einddatum "2026-02-05" en status "verlopen"
    Als de "privacyfunctionaris" "dhr.privacy" actie "verlengen" uitvoert met "motivering=te laat"
    Dan wordt de actie geweigerd met "guard_failed"

  Scenario: Een verzoek om correctie krijgt binnen een maand een besluit; een afwijzing wijst op de Autoriteit Persoonsgegevens en de rechter (AVG art. 12 lid 3 en 4)
    # verzoek ontvangen dinsdag 20 januari 2026; een maand later is vrijdag 20 februari 2026
    Gegeven school "de-linde" is een openbare po-school
    Als het is 2026-01-21
    En de "directeur" "dhr.bos" actie "verzoek_ontvangen" uitvoert met "verzoek=verwijdering;verzoek_ontvangen_op=2026-01-20"
    Dan heeft de termijn "beslissing_op_verzoek" einddatum "2026-02-20" en status "open"
    Als de "directeur" "dhr.bos" actie "verzoek_beslissen" uitvoert met "besluit=afgewezen;motivering=de gegevens zijn nodig voor de zorg"
    Dan heeft de termijn "beslissing_op_verzoek" einddatum "2026-02-20" en status "vervuld"
    # verzonden woensdag 21 januari 2026: bezwaar tot en met woensdag 4 maart 2026 (openbaar onderwijs)
    Als de "directeur" "dhr.bos" brief "besluit_op_verzoek" maakt met "geadresseerde_naam=Mevr. de Boer;geadresseerde_adres=Postbus 42, 9700 AB Groningen;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;besluit_verzonden_op=2026-01-21;wijze_van_verzending=per post"
    Dan staat in de PDF van de brief "Autoriteit Persoonsgegevens"
    En staat in de PDF van de brief "uiterlijk op 4 maart 2026"
