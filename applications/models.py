# Applications (Bewerbungsbogen, eligibility, review) arrive with their own issue.
