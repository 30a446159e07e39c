# language: nl
Functionaliteit: Een variant meenemen naar een nieuwe versie van het basisprotocol
  Laadt het bestuur een nieuwe versie van een protocol waarop een school een eigen variant
  heeft, dan hoort de protocolbeheerder van die school dat; trede laat zien wat er in het
  basisprotocol veranderde en biedt de variant aan op de nieuwe versie, gecontroleerd. Wijzigt
  de variant een stap die de nieuwe versie anders noemt, dan wordt dat geweigerd met de
  waarschijnlijke nieuwe naam, in plaats van stil een losse nieuwe stap te maken. Overnemen is
  een handeling van de protocolbeheerder zelf, en een publicatie als elke andere: het maakt een
  voorstel, de proefscenario's draaien op de nieuwe versie en een tweede persoon keurt het goed.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En "mw.kok" is protocolbeheerder van school "de-linde"
    En "dhr.ank" is protocolbeheerder van school "het-anker"
    En het schoolprotocol "gedrag-de-linde" is geladen voor school "de-linde"

  Scenario: De protocolbeheerder van de school met een variant krijgt een melding
    Als het bestuur versie 6 van "grensoverschrijdend-gedrag" laadt met een nieuwe titel
    Dan krijgt "mw.kok" de melding "Nieuwe basisversie beschikbaar" over "gedrag-de-linde"
    En krijgt "dhr.ank" geen melding over een nieuwe basisversie

  Scenario: Overnemen stelt de variant voor; een tweede persoon keurt haar goed
    Als het bestuur versie 6 van "grensoverschrijdend-gedrag" laadt met een nieuwe titel
    Dan kan "mw.kok" de variant "gedrag-de-linde" overnemen op versie 6
    En toont de overname van "gedrag-de-linde" de wijziging "protocol grensoverschrijdend-gedrag"
    En volgt "gedrag-de-linde" nog versie 5 van het basisprotocol
    Als "mw.kok" de variant "gedrag-de-linde" overneemt
    Dan ligt de variant "gedrag-de-linde" op versie 6 ter goedkeuring voor, voorgesteld door "mw.kok"
    En volgt "gedrag-de-linde" nog versie 5 van het basisprotocol
    Als de "protocol_eigenaar" "mw.kok" het voorstel goedkeurt
    Dan wordt de actie geweigerd met "permission_denied"
    En noemt de fout "vier ogen"
    Als de "bevoegd_gezag" "carla" het voorstel goedkeurt
    Dan volgt "gedrag-de-linde" versie 6 van het basisprotocol
    En krijgt "juf.anna" als "leerkracht" op school "de-linde" alleen "gedrag-de-linde" aangeboden van "grensoverschrijdend-gedrag"

  Scenario: Een stap die de variant wijzigt en die het basisprotocol hernoemde wordt geweigerd
    Gegeven het testprotocol "gedrag-fase-twee" is geladen voor school "de-linde"
    Als het bestuur versie 6 van "grensoverschrijdend-gedrag" laadt waarin stap "school_en_ouders" "samen_met_ouders" heet
    Dan krijgt "mw.kok" de melding "Nieuwe basisversie beschikbaar" over "gedrag-fase-twee"
    En meldt de overname van "gedrag-fase-twee" op regel 10 "stap 'school_en_ouders' staat niet meer in het basisprotocol"
    En meldt de overname van "gedrag-fase-twee" op regel 10 "bedoelt u 'samen_met_ouders'?"
    Als "mw.kok" de variant "gedrag-fase-twee" overneemt
    Dan wordt de actie geweigerd met "protocol_invalid"
    En volgt "gedrag-fase-twee" nog versie 5 van het basisprotocol

  Scenario: Een eigen actie van de variant die de nieuwe basisversie nu ook heeft, wordt gemeld
    Als het bestuur versie 6 van "grensoverschrijdend-gedrag" laadt met een eigen actie "nazorg_afronden" van "schorsing" naar "school_en_ouders"
    Dan waarschuwt de overname van "gedrag-de-linde" "de nieuwe basisversie heeft nu ook een actie 'nazorg_afronden'; uw variant wijzigt die nu in plaats van een eigen actie toe te voegen"
    En volgt "gedrag-de-linde" nog versie 5 van het basisprotocol

  Scenario: Een protocolbeheerder van een andere school kan de variant niet overnemen
    Als het bestuur versie 6 van "grensoverschrijdend-gedrag" laadt met een nieuwe titel
    Als "dhr.ank" de variant "gedrag-de-linde" overneemt
    Dan wordt de actie geweigerd met "invalid_input"
    En volgt "gedrag-de-linde" nog versie 5 van het basisprotocol
