# language: nl
Functionaliteit: Op een school met een eigen variant wordt alleen die variant aangeboden
  Heeft een school een eigen variant van een protocol, dan kiest een leerkracht daar niet
  meer tussen de variant en het basisprotocol: alleen de variant staat in de keuzelijst (de
  nieuwste, als de school er meer heeft). Op de andere scholen blijft het basisprotocol staan.

  Achtergrond:
    Gegeven het protocol "grensoverschrijdend-gedrag" is geladen
    En het schoolprotocol "gedrag-de-linde" is geladen voor school "de-linde"

  Scenario: De leerkracht van De Linde krijgt alleen de variant van De Linde aangeboden
    Dan krijgt "juf.anna" als "leerkracht" op school "de-linde" alleen "gedrag-de-linde" aangeboden van "grensoverschrijdend-gedrag"

  Scenario: De leerkracht van Het Anker krijgt het basisprotocol aangeboden
    Dan krijgt "mr.jan" als "leerkracht" op school "het-anker" alleen "grensoverschrijdend-gedrag" aangeboden van "grensoverschrijdend-gedrag"

  Scenario: Van twee varianten voor één school wordt de nieuwste aangeboden
    Gegeven het schoolprotocol "gedrag-de-linde" is als "gedrag-de-linde-2027" opnieuw geladen voor school "de-linde"
    Dan krijgt "juf.anna" als "leerkracht" op school "de-linde" alleen "gedrag-de-linde-2027" aangeboden van "grensoverschrijdend-gedrag"
