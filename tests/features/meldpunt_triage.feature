# language: nl
Functionaliteit: Een melding uit het meldpunt gaat naar wie haar behandelt en kan worden gesplitst
  Het bestuur laadt de indeling van het meldpunt: de onderwerpen waaruit een melder kiest en
  per onderwerp wie de melding behandelt. Een melding gaat volgens haar onderwerp naar die
  rollen; de vertrouwenspersoon en de aandachtsfunctionaris zien alleen de meldingen die naar
  hen zijn doorgestuurd. De intern begeleider ziet elke melding, corrigeert zo nodig het
  onderwerp en splitst een melding over meer leerlingen in gekoppelde zaken. Alles staat in
  de audittrail van de melding.

  Achtergrond:
    Gegeven het protocol "meldpunt" is geladen
    En het protocol "grensoverschrijdend-gedrag" is geladen
    En de indeling van het meldpunt van het bestuur is geladen
    En het is 2026-03-02

  Scenario: Een melding over seksueel grensoverschrijdend gedrag gaat naar de vertrouwenspersoon en de aandachtsfunctionaris
    Gegeven een melding via het meldpunt van "de-linde" met "beschrijving=Iemand raakt me aan bij de wc;categorie=seksueel_grensoverschrijdend"
    Dan is de melding doorgestuurd naar "vertrouwenspersoon,aandachtsfunctionaris"
    En kan een "vertrouwenspersoon" van "de-linde" de melding openen
    En kan een "intern_begeleider" van "de-linde" de melding openen

  Scenario: Een melding over cyberpesten blijft bij de intern begeleider
    Gegeven een melding via het meldpunt van "de-linde" met "beschrijving=Ze sturen gemene appjes;categorie=cyberpesten"
    Dan is de melding doorgestuurd naar "intern_begeleider"
    En kan een "vertrouwenspersoon" van "de-linde" de melding niet openen
    En kan een "aandachtsfunctionaris" van "de-linde" de melding niet openen

  Scenario: De intern begeleider corrigeert het onderwerp en de melding gaat opnieuw door
    Gegeven een melding via het meldpunt van "de-linde" met "beschrijving=Ze doen steeds vervelend;categorie=pesten"
    Als de intern begeleider het onderwerp corrigeert naar "seksueel_grensoverschrijdend"
    Dan staat in de audittrail van de melding "Categorie gecorrigeerd van ‘Iemand pest mij of een ander’ naar ‘Iemand raakt je aan of laat je dingen zien die je niet wilt’"
    En is de melding doorgestuurd naar "vertrouwenspersoon,aandachtsfunctionaris"
    En kan een "vertrouwenspersoon" van "de-linde" de melding openen
    En klopt de controle van de hashketen

  Scenario: De intern begeleider splitst een melding over twee leerlingen in twee zaken
    Gegeven een melding via het meldpunt van "de-linde" met "beschrijving=Fleur pakt tassen af en Daan scheldt in de app;categorie=pesten"
    Als de intern begeleider de melding splitst in "Fleur H.=pakt tassen af;Daan M.=scheldt in de app" volgens "grensoverschrijdend-gedrag"
    Dan zijn gekoppelde zaken geopend volgens "grensoverschrijdend-gedrag" voor "Fleur H.;Daan M."
    En staat in de audittrail van de melding "Gesplitst in 2 zaken"
    En klopt de controle van de hashketen

  Scenario: Splitsen in één deel is geen splitsen
    Gegeven een melding via het meldpunt van "de-linde" met "beschrijving=Fleur pakt tassen af;categorie=pesten"
    Als de intern begeleider de melding splitst in "Fleur H.=pakt tassen af" volgens "grensoverschrijdend-gedrag"
    Dan wordt de actie geweigerd met "invalid_input"
