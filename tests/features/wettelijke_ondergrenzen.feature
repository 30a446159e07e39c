# language: nl
Functionaliteit: Een schoolvariant kan niet weglaten wat de wet eist
  Een school mag het stappenplan aanpassen, maar een verplichting, termijn of rechtsmiddel dat
  de wet voorschrijft blijft staan. Een variant die zo'n element weglaat, rechtstreeks of met
  de stap of de actie die het draagt, wordt geweigerd bij de regel in de variant die het
  weglaat, met het wetsartikel dat het eist. Wat het protocol zelf afspreekt, mag de school
  weglaten. De vergelijking met het basisprotocol noemt bij een wettelijk element het artikel.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het is 2026-03-02

  Scenario: De melding aan de inspectie bij een schorsing kan niet worden weggelaten
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die de verplichting "inspectie_geinformeerd" weglaat
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant geweigerd op regel 8 met "verplichting 'inspectie_geinformeerd' is wettelijk verplicht (WPO art. 40c lid 3)"
    En noemt de weigering van de schoolvariant "laat het staan"

  Scenario: Met de stap schorsing verdwijnt ook de melding aan de inspectie
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die de stap "schorsing" weglaat
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant geweigerd op regel 8 met "verplichting 'inspectie_geinformeerd' is wettelijk verplicht (WPO art. 40c lid 3) en wordt door deze variant verwijderd: stap 'schorsing' is verwijderd"

  Scenario: Zonder de actie die naar de schorsing leidt, wordt de inspectie nooit meer gemeld
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die de actie "schorsen" weglaat
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant geweigerd op regel 8 met "geen actie leidt meer naar stap 'schorsing'"
    En noemt de weigering van de schoolvariant "verplichting 'inspectie_geinformeerd' (WPO art. 40c lid 3)"

  Scenario: Het bezwaar tegen een schorsing (Awb) kan niet worden weggelaten
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die het rechtsmiddel "bezwaar_schorsing" weglaat
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant geweigerd op regel 8 met "rechtsmiddel 'bezwaar_schorsing' is wettelijk verplicht (Awb 6:7)"

  Scenario: De bezwaartermijn tegen een verwijdering kan niet worden weggelaten
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die de termijn van het rechtsmiddel "bezwaar_verwijdering" weglaat
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant geweigerd op regel 8 met "termijn 'bezwaartermijn' van rechtsmiddel 'bezwaar_verwijdering' is wettelijk verplicht (Awb 6:7)"

  Scenario: De beslistermijn op een bezwaar (Awb) kan niet worden weggelaten
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die bij "bezwaar_verwijdering" alleen de beslistermijn "beslissing_op_bezwaar" houdt
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant geweigerd op regel 8 met "beslistermijn 'beslissing_op_bezwaar_awb' van rechtsmiddel 'bezwaar_verwijdering' is wettelijk verplicht (Awb 7:10)"

  Scenario: De wettelijke duur van een schorsing kan niet worden weggelaten
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die de termijn "einde_schorsing" weglaat
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant geweigerd op regel 8 met "termijn 'einde_schorsing' is wettelijk verplicht (WPO art. 40c)"

  Scenario: Een afspraak van het protocol zelf mag de school weglaten
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die de verplichting "ouders_direct_geinformeerd_time_out" weglaat
    Als de protocolbeheerder de schoolvariant controleert
    Dan wordt de schoolvariant aanvaard
    Als de "leerkracht" "juf.anna" een zaak opent volgens "gedrag-variant" voor leerling "Leerling-Mus" op school "de-linde"
    Dan staat de zaak in stap "ik_kan_het_zelf"

  Scenario: De vergelijking met het basisprotocol noemt bij een wettelijk element het artikel
    Gegeven een schoolvariant van "grensoverschrijdend-gedrag" die herinnert aan de verplichtingen "inspectie_geinformeerd" en "ouders_schriftelijk_geinformeerd"
    Als de protocolbeheerder de schoolvariant vergelijkt met het basisprotocol
    Dan toont de vergelijking "~ termijn inspectie_geinformeerd (wettelijk: WPO art. 40c lid 3): remind: (geen) → [0 dagen]"
    En toont de vergelijking "~ termijn ouders_schriftelijk_geinformeerd: remind: (geen) → [0 dagen]"
