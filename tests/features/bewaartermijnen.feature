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

  Scenario: Verlaat de leerling de school, dan wordt een afgesloten melding geanonimiseerd op de dag van vertrek
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "iemand" actie "afsluiten" uitvoert met "motivering=Mees is gestopt met pesten"
    En de school "de-linde" legt vast dat leerling "Leerling-Mees" vertrekt op 2026-07-17
    En de tijd verstrijkt tot 2026-07-16
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2026-07-17
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En is de laatste gebeurtenis "case_anonymised" door "systeem"
    En staat "Mees" nergens meer in de zaak of haar gebeurtenissen
    En klopt de controle van de hashketen

  Scenario: Een zaak die nog loopt als de leerling vertrekt, wacht tot ze is afgesloten
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    En de school "de-linde" legt vast dat leerling "Leerling-Mees" vertrekt op 2026-03-02
    Als de tijd verstrijkt tot 2026-04-01
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de "leerkracht" "iemand" actie "afsluiten" uitvoert met "motivering=afgerond bij vertrek"
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd

  Scenario: Vertrek van een leerling van een andere school raakt deze zaak niet
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "leerkracht" "iemand" actie "afsluiten" uitvoert met "motivering=Mees is gestopt met pesten"
    En de school "het-baken" legt vast dat leerling "Leerling-Mees" vertrekt op 2026-03-02
    En de tijd verstrijkt tot 2026-04-01
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd

  Scenario: Een meldcodedossier blijft bewaard, ook als de leerling vertrekt
    Gegeven het protocol "meldcode-hgkm" is geladen
    En het is 2026-03-02
    En een zaak volgens "meldcode-hgkm" voor leerling "Leerling-Mees" op school "de-linde"
    En de zaak staat bij afweging 1
    Als de "aandachtsfunctionaris" "mevr.smit" actie "afweging_1:nee" uitvoert met "motivering=geen zorgen over Mees"
    En de school "de-linde" legt vast dat leerling "Leerling-Mees" vertrekt op 2026-04-01
    En de tijd verstrijkt tot 2027-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd

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
    En school "de-linde" is een bijzondere po-school
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=Mees sloeg;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 week"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    # de beroepstermijn van de bijzondere school loopt nog (tot en met 13-4-2026): afsluiten vraagt een reden
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gestopt;motivering_rechtsmiddel=de ouders zien af van beroep"
    # een besluit blijft twee jaar na afsluiten (2 maart 2026): tot en met 2 maart 2028
    En de tijd verstrijkt tot 2027-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2028-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En is de brief gewist
    En staat "Fam. Jansen" nergens meer in de zaak of haar gebeurtenissen
    En staat "Dorpsstraat 1" nergens meer in de zaak of haar gebeurtenissen
    En klopt de controle van de hashketen

  Scenario: Een besluit blijft bewaard tot de rechtsmiddelen zijn uitgeput, ook als de leerling vertrekt
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02
    En een zaak volgens "grensoverschrijdend-gedrag" voor leerling "Leerling-Mees" op school "de-linde"
    En school "de-linde" is een openbare po-school
    Als de "directeur" "dhr.bos" actie "schorsen" uitvoert met "motivering=Mees sloeg;goedkeuring_bevoegd_gezag=ja;schorsing_eerste_dag=2026-03-02;schorsing_duur=1 dag"
    En de "directeur" "dhr.bos" brief "schorsing" maakt met "geadresseerde_naam=Fam. Jansen;geadresseerde_adres=Dorpsstraat 1, 1234 AB Ergens;ondertekenaar=P. Bos;functie_ondertekenaar=directeur;schorsingsbesluit_verzonden_op=2026-03-02;wijze_van_verzending=uitgereikt"
    # de bezwaartermijn tegen de schorsing loopt nog (tot en met 13-4-2026): afsluiten vraagt een reden (issue 23)
    En de "directeur" "dhr.bos" actie "afsluiten" uitvoert met "motivering=gestopt;motivering_rechtsmiddel=ouders zien af van bezwaar"
    En de school "de-linde" legt vast dat leerling "Leerling-Mees" vertrekt op 2026-03-20
    En de tijd verstrijkt tot 2026-03-21
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2028-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd

  Scenario: Een klokkenluidersmelding blijft vijf jaar bewaard
    Gegeven het protocol "klokkenluidersregeling-2016" is geladen
    En het is 2026-03-02
    En een zaak volgens "klokkenluidersregeling-2016" voor leerling "Melder-Mees" op school "de-linde"
    Als de "vertrouwenspersoon" "mevr.vp" actie "vastleggen" uitvoert met "ontvangen_op=2026-03-02;afschrift_verstrekt=ja"
    En de "bevoegd_gezag" "mevr.raad" actie "geen_onderzoek" uitvoert met "motivering=Mees meldde geen misstand"
    En de "bevoegd_gezag" "mevr.raad" actie "afsluiten" uitvoert met "motivering=geen reactie van de melder"
    En de tijd verstrijkt tot 2031-03-02
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2031-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En staat "Mees" nergens meer in de zaak of haar gebeurtenissen
    En klopt de controle van de hashketen

  Scenario: Een Wbk-melding blijft vijf jaar bewaard
    Gegeven het protocol "klokkenluiders-wbk-2023" is geladen
    En het is 2026-03-02
    En een zaak volgens "klokkenluiders-wbk-2023" voor leerling "Melder-Mees" op school "de-linde"
    Als de "behandelaar" "mevr.raad" actie "ontvangst_registreren" uitvoert met "ontvangen_op=2026-03-02"
    En de "behandelaar" "mevr.raad" actie "bevestiging_versturen" uitvoert met "bevestiging_verzonden_op=2026-03-02"
    En de "behandelaar" "mevr.raad" actie "informeren" uitvoert met "beoordeling=melding van Mees onderzocht"
    En de tijd verstrijkt tot 2031-03-02
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2031-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En staat "Mees" nergens meer in de zaak of haar gebeurtenissen

  Scenario: Een zaak onder de meldplicht blijft vijf jaar bewaard
    Gegeven het protocol "meldplicht-misbruik" is geladen
    En het is 2026-03-02
    En een zaak volgens "meldplicht-misbruik" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "medewerker" "mr.jan" actie "melden_bij_bevoegd_gezag" uitvoert met "motivering=Mees vertelde iets"
    En de "bevoegd_gezag" "mevr.raad" actie "overleg_vastleggen" uitvoert met "advies_vertrouwensinspecteur=geen strafbaar feit"
    En de "bevoegd_gezag" "mevr.raad" actie "beoordeling:nee" uitvoert met "motivering=geen aanwijzingen"
    En de tijd verstrijkt tot 2031-03-02
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2031-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En staat "Mees" nergens meer in de zaak of haar gebeurtenissen

  Scenario: Een inzageverzoek blijft twee jaar bewaard
    Gegeven het protocol "inzageverzoek" is geladen
    En het is 2026-03-02
    En een zaak volgens "inzageverzoek" voor leerling "Leerling-Mees" op school "de-linde"
    Als de "privacyfunctionaris" "dhr.privacy" actie "registreren" uitvoert met "ontvangen_op=2026-03-02"
    En de "privacyfunctionaris" "dhr.privacy" actie "beantwoorden" uitvoert met "motivering=export voor Mees verstrekt"
    En de tijd verstrijkt tot 2028-03-02
    En de bewaartermijnen worden toegepast
    Dan is de zaak niet geanonimiseerd
    Als de tijd verstrijkt tot 2028-03-03
    En de bewaartermijnen worden toegepast
    Dan is de zaak geanonimiseerd
    En staat "Mees" nergens meer in de zaak of haar gebeurtenissen
