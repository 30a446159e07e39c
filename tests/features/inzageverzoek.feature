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
    Als de "directeur" "dhr.bos" actie "verzoek_beslissen" uitvoert met "verzoek=correctie;besluit=afgewezen;motivering=feitelijk juist"
    En de "privacyfunctionaris" "dhr.privacy" actie "beantwoorden" uitvoert met "motivering=export verstrekt"
    Dan heeft de termijn "antwoord_na_verlenging" einddatum "2026-04-05" en status "vervuld"

  Scenario: Na de eerste maand kan niet meer worden verlengd
    Als de tijd verstrijkt tot 2026-02-06
    Dan heeft de termijn "antwoord_binnen_een_maand" einddatum "2026-02-05" en status "verlopen"
    Als de "privacyfunctionaris" "dhr.privacy" actie "verlengen" uitvoert met "motivering=te laat"
    Dan wordt de actie geweigerd met "guard_failed"
