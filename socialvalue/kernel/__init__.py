"""Pure helpers with no Django: money, dates, numbers, vocabularies, dated sourced data."""
