"""Small pieces of English used across the apps (no Django import)."""


def with_article(noun: str) -> str:
    """The noun with its indefinite article: "a manager", "an owner". By the first letter,
    which is right for the words we use it on (roles, remedies)."""
    noun = noun.strip()
    if not noun:
        return noun
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"
