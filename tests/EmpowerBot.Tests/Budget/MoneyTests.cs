using EmpowerBot.Budget;

namespace EmpowerBot.Tests.Budget;

public sealed class MoneyTests
{
    private static readonly Currency Usd = Currency.Of("USD");

    [Theory]
    [InlineData("25", 2500)]
    [InlineData("$25.50", 2550)]
    [InlineData("25.5", 2550)]
    [InlineData("USD 1,234.56", 123456)]
    [InlineData("0.01", 1)]
    public void Amounts_people_type_are_read_exactly(string text, long minor)
    {
        Assert.True(Money.TryParse(text, Usd, out var money, out var error), error);
        Assert.Equal(minor, money.Minor);
    }

    [Theory]
    [InlineData("0", "more than zero")]
    [InlineData("-5", "more than zero")]
    [InlineData("NaN", "not an amount")]
    [InlineData("1e309", "not an amount")]
    [InlineData("12.345", "at most 2 decimals")]
    [InlineData("99999999999999999", "far too large")]
    [InlineData("123456789012345678901", "not an amount")]
    [InlineData("9999999999999", "far too large")]
    [InlineData("", "not an amount")]
    [InlineData("25,50", "use a point")]
    [InlineData("€25", "not in USD")]
    public void Bad_amounts_are_refused_with_the_reason(string text, string reason)
    {
        Assert.False(Money.TryParse(text, Usd, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Tenths_add_up_exactly()
    {
        Money.TryParse("0.1", Usd, out var a, out _);
        Money.TryParse("0.2", Usd, out var b, out _);
        Money.TryParse("0.3", Usd, out var c, out _);

        Assert.Equal(c, a + b);
    }

    [Theory]
    [InlineData("USD", 123456, "$1,234.56")]
    [InlineData("USD", -300, "-$3.00")]
    [InlineData("JPY", 500, "¥500")]
    [InlineData("EUR", 5, "€0.05")]
    public void Money_prints_with_its_symbol_and_decimals(string code, long minor, string expected)
    {
        Assert.Equal(expected, new Money(minor, Currency.Of(code)).ToString());
    }

    [Fact]
    public void Currencies_do_not_mix()
    {
        Assert.Throws<InvalidOperationException>(() => new Money(1, Usd) + new Money(1, Currency.Of("EUR")));
    }
}
