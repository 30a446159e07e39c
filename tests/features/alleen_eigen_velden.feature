# language: nl
Functionaliteit: Een actie legt alleen vast wat zij zelf vraagt
  Een feit dat een taakverdeling vastlegt (de instemming van de melder, art. 5 lid 2 van de
  regeling 2016; "standpunt betwist", art. 8 en 9), schrijft alleen de actie die het vraagt,
  en dus alleen de rol die die actie mag uitvoeren. Een veld dat een actie niet vraagt, wordt
  geweigerd met de naam van dat veld; er wordt dan niets vastgelegd.

  Achtergrond:
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-23
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Reiger" op school "bestuursbureau" via "leidinggevende"

  Scenario: De leidinggevende kan geen instemming meesturen bij het vastleggen
    Als de "leidinggevende" "dhr.bos" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-21;afschrift_verstrekt=ja;identiteit_delen=ja"
    Dan wordt de actie geweigerd met "undeclared_input"
    En noemt de fout "identiteit_delen"
    En staat de zaak nog in stap "melding" met 1 gebeurtenis
    En ziet de "bevoegd_gezag" als betrokkene "(afgeschermd)"
    En ziet de "leidinggevende" als betrokkene "(afgeschermd)"

  Abstract Scenario: Geen rol legt instemming vast via een andere actie: <actie> door <rol>
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "<rol>" "<wie>" actie "<actie>" uitvoert met "<invoer>"
    Dan wordt de actie geweigerd met "undeclared_input"
    En noemt de fout "identiteit_delen"
    En staat de zaak nog in stap "vastgelegd" met 2 gebeurtenissen
    En ziet de "bevoegd_gezag" als betrokkene "(afgeschermd)"

    Voorbeelden:
      | rol                | wie         | actie               | invoer                                       |
      | bevoegd_gezag      | dhr.bestuur | onderzoek_instellen | onderzoeker=extern bureau;identiteit_delen=ja |
      | bevoegd_gezag      | dhr.bestuur | geen_onderzoek      | motivering=geen gronden;identiteit_delen=ja   |
      | bevoegd_gezag      | dhr.bestuur | standpunt_uitstellen | motivering=meer tijd;nieuwe_termijn=2026-05-29;identiteit_delen=ja |
      | vertrouwenspersoon | mevr.vp     | extern_melden       | motivering=toch;identiteit_delen=ja           |

  Scenario: Een voorwaarde voor extern melden kan niet via een andere actie worden geschreven
    Gegeven de melding is vastgelegd op 2026-03-23
    Als de "vertrouwenspersoon" "mevr.vp" actie "identiteit_vrijgeven" uitvoert met "identiteit_delen=ja;standpunt_betwist=ja"
    Dan wordt de actie geweigerd met "undeclared_input"
    En noemt de fout "standpunt_betwist"
    Als de "vertrouwenspersoon" "mevr.vp" actie "extern_melden" uitvoert met "motivering=standpunt betwist"
    Dan wordt de actie geweigerd met "guard_failed"
