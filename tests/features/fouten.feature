# language: nl
Functionaliteit: Een actie die niet kan, wordt geweigerd met een duidelijke reden
  Er wordt dan niets vastgelegd: de zaak en haar audittrail blijven zoals ze waren.

  Achtergrond:
    Gegeven het proefprotocol is geladen
    En het is 2026-03-02
    En een zaak voor leerling "Leerling-K3" op school "de-linde"

  Abstract Scenario: <geval>
    Als de "<rol>" "iemand" actie "<actie>" uitvoert met "<invoer>"
    Dan wordt de actie geweigerd met "<fout>"
    En noemt de fout "<detail>"
    En staat de zaak nog in stap "melding" met 1 gebeurtenis

    Voorbeelden:
      | geval                          | rol        | actie             | invoer                                        | fout                   | detail           |
      | onbekende actie                | leerkracht | toveren           |                                               | transition_not_allowed | melden           |
      | actie uit een andere stap      | directeur  | maatregel_voorbij |                                               | transition_not_allowed | afsluiten        |
      | rol mag dit niet               | directeur  | melden            | ernst=licht                                   | permission_denied      | leerkracht       |
      | verplicht veld ontbreekt       | leerkracht | melden            |                                               | missing_input          | ernst            |
      | waarde die niet kan            | leerkracht | melden            | ernst=heel erg                                | invalid_input          | ernst            |
      | onbekend veld                  | leerkracht | melden            | ernst=licht;kleur=rood                        | invalid_input          | kleur            |
      | voorwaarde niet vervuld        | directeur  | direct_maatregel  | motivering=x;akkoord_directeur=ja             | guard_failed           | ernst = ernstig  |
      | akkoord niet gegeven           | directeur  | direct_maatregel  | motivering=x;akkoord_directeur=nee            | invalid_input          | akkoord_directeur |
      | voorwaarde meesturen           | directeur  | direct_maatregel  | motivering=x;akkoord_directeur=ja;ernst=ernstig | undeclared_input     | ernst            |
      | veld van een andere actie      | leerkracht | melden            | ernst=licht;akkoord_directeur=ja              | undeclared_input       | akkoord_directeur |

  Scenario: Een datum in de toekomst wordt geweigerd
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht" per 2026-03-05
    Dan wordt de actie geweigerd met "invalid_effective_date"
    En staat de zaak nog in stap "melding" met 1 gebeurtenis

  Scenario: Een datum voor de vorige gebeurtenis wordt geweigerd
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht" per 2026-02-20
    Dan wordt de actie geweigerd met "invalid_effective_date"
    En staat de zaak nog in stap "melding" met 1 gebeurtenis

  Scenario: Wie een verouderde zaak bijwerkt, krijgt een conflict
    Als de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht"
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=klaar" op gebeurtenis 1
    Dan wordt de actie geweigerd met "concurrency_conflict"
    En staat de zaak nog in stap "onderzoek" met 2 gebeurtenissen

  Scenario: Een afgesloten zaak kan niet verder
    Als de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gedrag gestopt"
    En de "leerkracht" "juf.anna" actie "melden" uitvoert met "ernst=licht"
    Dan wordt de actie geweigerd met "case_closed"
    En staat de zaak nog in stap "afgesloten" met 2 gebeurtenissen
