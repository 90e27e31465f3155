using System.Globalization;
using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>An ISO 4217 currency with its number of minor-unit digits and display symbol.</summary>
public sealed record Currency(string Code, int Decimals, string Symbol)
{
    private static readonly Dictionary<string, Currency> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USD"] = new("USD", 2, "$"),
        ["CAD"] = new("CAD", 2, "CA$"),
        ["AUD"] = new("AUD", 2, "A$"),
        ["NZD"] = new("NZD", 2, "NZ$"),
        ["EUR"] = new("EUR", 2, "€"),
        ["GBP"] = new("GBP", 2, "£"),
        ["CHF"] = new("CHF", 2, "CHF "),
        ["SEK"] = new("SEK", 2, "SEK "),
        ["NOK"] = new("NOK", 2, "NOK "),
        ["DKK"] = new("DKK", 2, "DKK "),
        ["INR"] = new("INR", 2, "₹"),
        ["BRL"] = new("BRL", 2, "R$"),
        ["MXN"] = new("MXN", 2, "MX$"),
        ["ZAR"] = new("ZAR", 2, "R "),
        ["SGD"] = new("SGD", 2, "S$"),
        ["JPY"] = new("JPY", 0, "¥"),
        ["KRW"] = new("KRW", 0, "₩"),
        ["KWD"] = new("KWD", 3, "KWD "),
        ["BHD"] = new("BHD", 3, "BHD "),
    };

    public static bool TryGet(string code, out Currency currency) => Known.TryGetValue(code, out currency!);

    public static Currency Of(string code) => TryGet(code, out var c)
        ? c
        : throw new ArgumentException($"Unknown currency '{code}'. Known: {string.Join(", ", Known.Keys)}.", nameof(code));

    public long MinorPerUnit => Decimals switch { 0 => 1, 1 => 10, 2 => 100, 3 => 1000, _ => throw new InvalidOperationException() };
}

/// <summary>An amount of money in integer minor units (cents): exact, never a floating-point value.</summary>
public readonly record struct Money(long Minor, Currency Currency) : IComparable<Money>
{
    /// <summary>Larger amounts are refused as input: far beyond any credit, and safe from overflow when summed.</summary>
    public const long MaxMinor = 1_000_000_000_000L;

    public static Money Zero(Currency currency) => new(0, currency);

    public static Money FromDecimal(decimal amount, Currency currency) =>
        new((long)decimal.Round(amount * currency.MinorPerUnit, 0, MidpointRounding.ToEven), currency);

    public decimal ToDecimal() => (decimal)Minor / Currency.MinorPerUnit;

    public static Money operator +(Money a, Money b) => new(checked(a.Minor + b.Minor), Same(a, b));

    public static Money operator -(Money a, Money b) => new(checked(a.Minor - b.Minor), Same(a, b));

    public static bool operator <(Money a, Money b) => a.CompareTo(b) < 0;

    public static bool operator >(Money a, Money b) => a.CompareTo(b) > 0;

    public static bool operator <=(Money a, Money b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Money a, Money b) => a.CompareTo(b) >= 0;

    public int CompareTo(Money other)
    {
        Same(this, other);
        return Minor.CompareTo(other.Minor);
    }

    public bool IsPositive => Minor > 0;

    /// <summary>"$1,234.50", "-€3.00", "¥500".</summary>
    public override string ToString()
    {
        var number = Math.Abs(ToDecimal()).ToString("N" + Currency.Decimals, CultureInfo.InvariantCulture);
        return (Minor < 0 ? "-" : "") + Currency.Symbol + number;
    }

    /// <summary>
    /// Reads an amount a person typed: digits with an optional currency symbol or code, thousands separators
    /// and at most the currency's decimals. Refuses zero or less, exponents, NaN and absurdly large values.
    /// </summary>
    public static bool TryParse(string text, Currency currency, out Money money, out string error)
    {
        money = default;
        var s = text.Trim();
        foreach (var prefix in new[] { currency.Symbol.Trim(), currency.Code })
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { s = s[prefix.Length..].Trim(); break; }
        }
        if (s.EndsWith(currency.Code, StringComparison.OrdinalIgnoreCase)) s = s[..^currency.Code.Length].Trim();
        if (s.Length > 0 && "$€£¥₹₩".Contains(s[0]))
        {
            error = $"'{TextCut.Shorten(text, 24)}' is not in {currency.Code}, the currency of your team's credits.";
            return false;
        }
        // A comma is a thousands separator only ("1,234.50"); "25,50" is a decimal comma, which we do not guess at.
        var groups = s.Split('.')[0].Split(',');
        if (groups.Length > 1 && groups.Skip(1).Any(g => g.Length != 3))
        {
            error = $"'{TextCut.Shorten(text, 24)}' is not an amount I can read; use a point for decimals, like 25.50.";
            return false;
        }
        s = s.Replace(",", "", StringComparison.Ordinal);
        if (s.Length == 0 || s.Length > 20 || !s.All(c => char.IsAsciiDigit(c) || c == '.' || c == '-'))
        {
            error = $"'{TextCut.Shorten(text, 24)}' is not an amount I can read; write it like 25 or 25.50.";
            return false;
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            error = $"'{TextCut.Shorten(text, 24)}' is not an amount I can read; write it like 25 or 25.50.";
            return false;
        }
        if (value <= 0)
        {
            error = "The amount must be more than zero.";
            return false;
        }
        if (decimal.Round(value, currency.Decimals) != value)
        {
            error = currency.Decimals == 0
                ? $"{currency.Code} amounts have no decimals."
                : $"{currency.Code} amounts have at most {currency.Decimals} decimals.";
            return false;
        }
        if (value * currency.MinorPerUnit > MaxMinor)
        {
            error = "That amount is far too large.";
            return false;
        }
        money = FromDecimal(value, currency);
        error = "";
        return true;
    }

    private static Currency Same(Money a, Money b) => a.Currency.Code == b.Currency.Code
        ? a.Currency
        : throw new InvalidOperationException($"Cannot combine {a.Currency.Code} and {b.Currency.Code}.");
}
