"""A member list written in English, its roles as the file says them, and the words a map tooltip
and the explorer say them in (maillage.api.maps.role_text): tests/test_map.py, tests/test_api.py."""

ENGLISH_ROLES = ("Name;Town;Role\n"
                 "Les Jardins du Canal;Toulouse;member\n"
                 "Atelier Vélo Solidaire;Toulouse;founding member\n"
                 "Coop Bois Local;Blagnac;partner\n"
                 "Toulouse Métropole;Toulouse;funder\n")

#: Each member's role as the file writes it
WRITTEN = {"Les Jardins du Canal": "member", "Atelier Vélo Solidaire": "founding member",
           "Coop Bois Local": "partner", "Toulouse Métropole": "funder"}

#: ``(lang, {member: its role in words})``, for ``pytest.mark.parametrize("lang, roles", ROLE_WORDS)``
ROLE_WORDS = [
    ("fr", {"Les Jardins du Canal": "membre",
            "Atelier Vélo Solidaire": "membre (socle) ; la source dit « founding member »",
            "Coop Bois Local": "membre (partenaire associé) ; la source dit « partner »",
            "Toulouse Métropole": "financeur"}),
    ("en", {"Les Jardins du Canal": "member",
            "Atelier Vélo Solidaire": "member (core); the source says 'founding member'",
            "Coop Bois Local": "member (associated partner); the source says 'partner'",
            "Toulouse Métropole": "funder"})]
