using EmpowerBot.Budget;

namespace EmpowerBot.Tests.Budget;

/// <summary>One customer, one name: every disguise of a reference comes to the same key, or is refused.</summary>
public sealed class CustomerRefTests
{
    /// <summary>ACME-0001 as the issue saw it slip past the hold list: invisible, format and dash look-alike characters.</summary>
    public static TheoryData<string, string> Disguises => new()
    {
        { "zero-width space", "ACME-0001\u200B" },
        { "zero-width joiner", "ACME-\u200D0001" },
        { "soft hyphen", "AC\u00ADME-0001" },
        { "byte order mark", "\uFEFFACME-0001" },
        { "word joiner", "ACME\u2060-0001" },
        { "right-to-left override", "ACME-0001\u202E" },
        { "hyphen", "ACME\u20100001" },
        { "non-breaking hyphen", "ACME\u20110001" },
        { "en dash", "ACME\u20130001" },
        { "minus sign", "ACME\u22120001" },
        { "full-width letters and digits", "ＡＣＭＥ－０００１" },
        { "mathematical bold letters", "\U0001D400\U0001D402\U0001D40C\U0001D404-0001" },
        { "lower case and a leading '#'", "#acme-0001" },
        { "variation selector", "ACME-0001\uFE0F" },
    };

    [Theory]
    [MemberData(nameof(Disguises))]
    public void A_disguised_reference_comes_to_its_one_canonical_form(string disguise, string text)
    {
        Assert.True(CustomerRef.TryNormalize(text, out var customer, out var error), $"{disguise}: {error}");
        Assert.Equal("ACME-0001", customer);
    }

    [Theory]
    [InlineData("\u0410\u0421\u041C\u0415-0001", "Cyrillic")] // АСМЕ-0001, every letter a Cyrillic look-alike
    [InlineData("A\u0421ME-0001", "Cyrillic")] // one Cyrillic С among Latin letters
    [InlineData("\u0391\u0392-77", "Greek")] // ΑΒ-77
    [InlineData("\u0410\u0421\u041C\u0415", "Cyrillic")] // no digit at all: still a look-alike of ACME
    public void A_reference_with_letters_of_another_script_is_refused_with_a_clear_message(string text, string script)
    {
        Assert.False(CustomerRef.TryNormalize(text, out var customer, out var error));
        Assert.Equal("", customer);
        Assert.Contains(script, error);
        Assert.Contains("Latin letters", error);
    }

    [Theory]
    [InlineData("ACME\u00B70001", "U+00B7")] // middle dot, a look-alike of '.'
    [InlineData("ACME-0001\u0336", "U+0336")] // a combining stroke over the last digit
    [InlineData("ACME-\u0661\u0662", "U+0661")] // Arabic-Indic digits
    public void A_reference_with_a_character_no_reference_uses_is_refused_naming_it(string text, string named)
    {
        Assert.False(CustomerRef.TryNormalize(text, out _, out var error));
        Assert.Contains(named, error);
    }

    [Theory]
    [InlineData("CAFÉ-12", "CAFÉ-12")]
    [InlineData("cafe\u0301-12", "CAFÉ-12")] // the accent written as a combining mark composes to the same letter
    [InlineData("O'BRIEN-7", "O'BRIEN-7")]
    [InlineData("ORD.2026.0042", "ORD.2026.0042")]
    public void Latin_letters_with_accents_and_plain_punctuation_stay_as_written(string text, string expected)
    {
        Assert.True(CustomerRef.TryNormalize(text, out var customer, out var error), error);
        Assert.Equal(expected, customer);
    }

    [Fact]
    public void A_reference_made_only_of_invisible_characters_is_empty()
    {
        Assert.False(CustomerRef.TryNormalize("\u200B\u2060", out _, out var error));
        Assert.Equal("The customer reference is empty.", error);
    }
}
