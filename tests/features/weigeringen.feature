# language: nl
Functionaliteit: Een weigering zegt waarom, en wie het wel mag
  Wie iets niet mag, leest waarom in de woorden van de school: niet uw groep, niet uw
  school, niet uw rol, of geen enkele rol hier. De rollen staan er met hun naam uit het
  protocol, nooit met hun code, en de weigering zegt wie men kan vragen (issue 26).

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen

  Scenario: Een leerkracht van groep 5a wil een zaak openen voor een leerling uit groep 6b
    Als leerkracht "juf.anna" van groep "5a" op school "de-linde" een zaak opent volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Uil" uit groep "6b"
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "not_your_group"
    En noemt de fout "Deze leerling zit niet in uw groep (5a). Vraag de intern begeleider, de directeur, het bevoegd gezag of de leerkracht van deze leerling om de zaak te openen."
    En noemt de fout niet "niemand"

  Scenario: Een leerkracht van De Linde wil een zaak openen op Het Anker
    Als leerkracht "juf.anna" van groep "5a" op school "de-linde" een zaak opent volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Das" op school "het-anker"
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "not_your_school"
    En noemt de fout "U werkt niet op"

  Scenario: Alleen de directeur stelt een time-out in
    Gegeven een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Vos" op school "de-linde"
    Als de "leerkracht" "juf.anna" actie "time_out_instellen" uitvoert met "motivering=schoppen in de klas"
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "not_your_role"
    En noemt de fout "Alleen de directeur mag de actie ‘Time-out instellen (ook direct bij een ernstig incident)’ uitvoeren; u werkt hier als leerkracht. Vraag de directeur om dit te doen."
    En noemt de fout niet "directeur'"
    En staat de zaak nog in stap "ik_kan_het_zelf" met 1 gebeurtenis
