"""Server-rendered login of the authorization server: password + SMS code, eID, consent."""
