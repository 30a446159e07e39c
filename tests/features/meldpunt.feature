# language: nl
Functionaliteit: Het meldpunt bewaart een melding twaalf maanden na de afhandeling
  Volgens de M5-privacyverklaring (seeds 001, "Bewaartermijn en anonimisering") worden de
  inhoudelijke gegevens uit het meldpunt na 12 maanden automatisch geanonimiseerd. De
  contactgegevens die een melder opgaf, verdwijnen dan ook. De hashketen blijft
  controleerbaar, en de ontvangstcode toont daarna alleen nog de stand.

  Scenario: Een afgesloten melding wordt twaalf maanden na het afsluiten geanonimiseerd, met de contactgegevens van de melder
    # De melding komt binnen op maandag 2 maart 2026 en wordt afgesloten op maandag 9 maart 2026.
    # Twaalf maanden na 9 maart 2026 is dinsdag 9 maart 2027: die dag wordt de melding nog
    # bewaard, op woensdag 10 maart 2027 is zij geanonimiseerd.
    Gegeven het protocol "meldpunt" is geladen
    En het is 2026-03-02
    En een melding via het meldpunt van "de-linde" met "beschrijving=Ze pakken mijn tas af bij het klimrek;anoniem=nee;contact_melder=Vink uit groep 7, 06-99887766"
    En het is 2026-03-09
    Als de "intern_begeleider" "mevr.smit" actie "afsluiten" uitvoert met "motivering=opgelost na een gesprek"
    En de tijd verstrijkt tot 2027-03-09
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2027-03-10
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En staat "Vink" nergens meer in de zaak of haar gebeurtenissen
    En toont de code van de melder de stand "Afgesloten" en niets meer van "klimrek"
    En klopt de controle van de hashketen

  Scenario: Een melding die nog in beoordeling is, wordt niet geanonimiseerd
    # De bewaartermijn loopt pas vanaf het afsluiten; een melding die openstaat, blijft.
    Gegeven het protocol "meldpunt" is geladen
    En het is 2026-03-02
    En een melding via het meldpunt van "de-linde" met "beschrijving=Er wordt gescholden in de klas-app;anoniem=ja"
    Als de tijd verstrijkt tot 2027-06-01
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    En staat de zaak in stap "beoordeling"

  Scenario: Een melding die als misbruik is gemarkeerd, volgt dezelfde bewaartermijn
    Gegeven het protocol "meldpunt" is geladen
    En het is 2026-03-02
    En een melding via het meldpunt van "de-linde" met "beschrijving=Grapmelding over de conciërge;anoniem=ja"
    Als de "directeur" "dhr.bos" actie "misbruik" uitvoert met "motivering=grapmelding"
    En de tijd verstrijkt tot 2027-03-02
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2027-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En staat "conciërge" nergens meer in de zaak of haar gebeurtenissen
