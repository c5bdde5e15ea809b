"""French language resources shared by the stages: the lexicon, line joining, vocabularies."""
