# language: nl
Functionaliteit: Bewaartermijnen: na afloop worden persoonsgegevens geanonimiseerd
  Niets wordt te vroeg geanonimiseerd, niets te lang bewaard. De audittrail blijft
  controleerbaar: persoonsgegevens staan buiten de gehashte vastlegging.

  Abstract Scenario: <protocol> bewaart <termijn> na afsluiten
    Gegeven het protocol "<protocol>" is geladen
    En het is 2026-03-02
    En een zaak volgens "<protocol>" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "<rol>" "iemand" actie "<afsluiten>" uitvoert met "motivering=Mees is gestopt met pesten"
    En de tijd verstrijkt tot <net ervoor>
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot <erna>
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En is de laatste gebeurtenis "case_anonymised" door "systeem"
    En staat "Mees" nergens meer in de zaak of haar gebeurtenissen
    En klopt de controle van de hashketen

    Voorbeelden:
      | protocol                   | termijn    | rol        | afsluiten               | net ervoor | erna       |
      | grensoverschrijdend-gedrag | 12 maanden | leerkracht | afsluiten               | 2027-03-02 | 2027-03-03 |

  Scenario: Een meldcodedossier blijft vijf jaar bewaard
    Gegeven het protocol "meldcode-hgkm" is geladen
    En het is 2026-03-02
    En een zaak volgens "meldcode-hgkm" voor leerling "Leerling-Mees" op school "de-linde"
    En de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:nee" uitvoert met "motivering=geen zorgen over Mees"
    En de tijd verstrijkt tot 2027-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2031-03-02
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2031-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En staat "Mees" nergens meer in de zaak of haar gebeurtenissen
    En klopt de controle van de hashketen

  Scenario: Een zaak die nog loopt, wordt niet geanonimiseerd
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    Als de tijd verstrijkt tot 2028-01-01
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd

  Scenario: Brieven worden mee gewist; hun hashes blijven in de audittrail
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=Mees sloeg;goedkeuring_bevoegd_gezag=ja"
    En de "directeur" "dhr.bos" brief "schorsing" maakt
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gestopt"
    En de tijd verstrijkt tot 2027-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En is de brief gewist
    En klopt de controle van de hashketen
