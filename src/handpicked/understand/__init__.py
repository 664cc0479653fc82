"""Understanding: duplicates, stories, entities and topics of stored articles."""
