# language: nl
Functionaliteit: Een melding uit het meldpunt komt na de overdracht bij de juiste mensen
  De intern begeleider draagt een melding over aan het stappenplan grensoverschrijdend gedrag.
  De nieuwe zaak volgt het eigen stappenplan van de school, staat in de groep van de leerling
  zoals de leerlingenadministratie die kent, zodat de leerkracht van die groep haar ziet, en
  de intern begeleider kan haar verder brengen: een melding is de hulpvraag van stap 2
  (Bijlage 4: "of wordt er andere hulp ingeroepen"). Het gesprek met de melder gaat door tot
  de intern begeleider het afsluit; daarna kan de melder niet meer schrijven.

  Achtergrond:
    Gegeven het protocol "meldpunt" is geladen
    En het protocol "grensoverschrijdend-gedrag" is geladen
    En het schoolprotocol "gedrag-de-linde" is geladen voor school "de-linde"
    En de leerlingenadministratie van "de-linde" heeft "Fleur Hoekstra" in groep "5a" en "Daan Mulder" in groep "6a"
    En het is 2026-03-02
    En een melding via het meldpunt van "de-linde" met "beschrijving=Ze pakken steeds mijn tas af op het plein;soort_gedrag=pesten"

  Scenario: De zaak over een leerling uit groep 5a volgt het stappenplan van De Linde en staat bij de leerkracht van 5a
    Als de "intern_begeleider" "mevr.smit" actie "overdragen" uitvoert met "betrokken_leerling=Fleur H.;motivering=pesten houdt aan"
    Dan is een gekoppelde zaak geopend volgens "gedrag-de-linde" voor leerling "Fleur H."
    En staat de gekoppelde zaak in groep "5a", geopend als "intern_begeleider"
    En kan de leerkracht van groep "5a" van "de-linde" de gekoppelde zaak openen
    En mag de "intern_begeleider" in de gekoppelde zaak "hulp_vragen"
    En ziet de melder met de code de stand "Overgedragen aan het stappenplan" en kan hij nog schrijven

  Scenario: Een leerling uit een andere groep blijft buiten het zicht van de leerkracht van 5a
    Als de "intern_begeleider" "mevr.smit" actie "overdragen" uitvoert met "betrokken_leerling=Daan M.;motivering=schelden in de klas-app"
    Dan staat de gekoppelde zaak in groep "6a", geopend als "intern_begeleider"
    En kan de leerkracht van groep "5a" van "de-linde" de gekoppelde zaak niet openen

  Scenario: De intern begeleider sluit het gesprek af en de melder kan niet meer schrijven
    Als de "intern_begeleider" "mevr.smit" actie "overdragen" uitvoert met "betrokken_leerling=Fleur H.;motivering=pesten houdt aan"
    En de melder met de code schrijft "Vandaag ging het weer mis."
    En de "intern_begeleider" "mevr.smit" actie "gesprek_afsluiten" uitvoert met "motivering=het stappenplan loopt;bericht_aan_melder=We sluiten het gesprek hier af."
    Dan ziet de melder met de code de stand "Overgedragen aan het stappenplan, gesprek afgesloten" en kan hij niet meer schrijven
    Als de melder met de code schrijft "Nog één ding."
    Dan wordt de actie geweigerd met "report_closed"
    En klopt de controle van de hashketen
