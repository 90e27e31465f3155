using System.Text.Json;
using System.Text.RegularExpressions;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Budget;

/// <summary>"undo" with no reference offers what can still be undone and undoes nothing until a button is clicked; history rows carry Undo while they can.</summary>
public sealed class UndoWithoutReferenceTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private async Task<IReadOnlyList<JsonElement>> SayAsync(string text) => await bot.ExchangeAsync(Activities.Message(text));

    private async Task<string> CreditAsync(string customer, int dollars = 25) =>
        Regex.Match((await SayAsync($"credit ${dollars} to {customer} for late delivery")).Everything(), @"Ref (C-[0-9A-Z]{4})").Groups[1].Value;

    private async Task<string> BudgetAsync() => (await SayAsync("budget")).Everything();

    /// <summary>The data of every Undo button on a card, wherever it sits (card actions or an ActionSet in a row).</summary>
    private static List<JsonElement> UndoButtons(JsonElement card)
    {
        var found = new List<JsonElement>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String && t.GetString()!.StartsWith("Undo", StringComparison.Ordinal))
                {
                    found.Add(e.GetProperty("data"));
                }
                foreach (var p in e.EnumerateObject()) Walk(p.Value);
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray()) Walk(item);
            }
        }
        Walk(card);
        return found;
    }

    private static Dictionary<string, object?> Click(JsonElement data)
    {
        var submit = Activities.Message("");
        submit.Remove("text");
        submit["value"] = JsonSerializer.Deserialize<Dictionary<string, string>>(data.GetRawText());
        return submit;
    }

    [Theory]
    [InlineData("undo")]
    [InlineData("undo the last one")]
    [InlineData("cancel that credit")]
    [InlineData("oops undo that")]
    [InlineData("reverse my last credit")]
    public async Task Undo_without_a_reference_offers_the_latest_credit_and_undoes_nothing(string text)
    {
        var creditRef = await CreditAsync("ACME-1042");

        var offer = Assert.Single(await SayAsync(text));

        var card = offer.Card()!.Value;
        var undo = Assert.Single(UndoButtons(card));
        Assert.Equal("undo " + creditRef, undo.GetProperty("command").GetString());
        var shown = card.GetRawText();
        Assert.Contains("ACME-1042", shown);
        Assert.Contains("$25.00", shown);
        Assert.Contains("Late delivery", shown);
        Assert.Contains("given 10:00 AM America/New_York", shown);
        Assert.Contains("Undo (until 10:15 AM America/New_York)", shown);
        Assert.Contains("$175.00", await BudgetAsync());
    }

    [Fact]
    public async Task The_offered_undo_clicked_twice_undoes_the_credit_once()
    {
        var creditRef = await CreditAsync("ACME-1042");
        var undo = Assert.Single(UndoButtons(Assert.Single(await SayAsync("undo")).Card()!.Value));

        var first = (await bot.ExchangeAsync(Click(undo))).Everything();
        var second = (await bot.ExchangeAsync(Click(undo))).Everything();

        Assert.Contains($"Undid {creditRef}", first);
        Assert.Contains("already undone", second);
        Assert.Contains("$200.00", await BudgetAsync());
    }

    [Fact]
    public async Task Several_undoable_credits_list_the_latest_three_with_their_buttons_and_count_the_rest()
    {
        var refs = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            refs.Add(await CreditAsync($"ACME-{i}", dollars: 5));
            bot.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var card = Assert.Single(await SayAsync("undo")).Card()!.Value;

        var commands = UndoButtons(card).Select(d => d.GetProperty("command").GetString()).ToList();
        Assert.Equal(new[] { refs[3], refs[2], refs[1] }.Select(r => "undo " + r), commands);
        Assert.Contains("1 more can still be undone", card.GetRawText());
        Assert.Contains("$180.00", await BudgetAsync());
    }

    [Fact]
    public async Task A_credit_given_just_before_the_month_turned_is_still_offered_just_after()
    {
        // 11:55 PM on Nov 30 in New York, the demo team's zone; ten minutes later it is December there.
        using var late = new BotHost(clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 4, 55, 0, TimeSpan.Zero)));
        var receipt = (await late.ExchangeAsync(Activities.Message("credit $25 to ACME-1042 for late delivery"))).Everything();
        var creditRef = Regex.Match(receipt, @"Ref (C-[0-9A-Z]{4})").Groups[1].Value;
        late.Clock.Advance(TimeSpan.FromMinutes(10));

        var card = Assert.Single(await late.ExchangeAsync(Activities.Message("undo"))).Card()!.Value;

        Assert.Equal("undo " + creditRef, Assert.Single(UndoButtons(card)).GetProperty("command").GetString());
        Assert.Contains("given 11:55 PM America/New_York", card.GetRawText());
    }

    [Fact]
    public async Task With_nothing_left_to_undo_it_says_so_with_the_window_and_the_last_credit()
    {
        var creditRef = await CreditAsync("ACME-1042");
        bot.Clock.Advance(TimeSpan.FromMinutes(16));

        var reply = Assert.Single(await SayAsync("undo"));

        Assert.Null(reply.Card());
        Assert.Contains("credits can be undone for 15 minutes", reply.Text());
        Assert.Contains($"your last one, {creditRef} ($25.00 to ACME-1042), was applied at Nov 22, 10:00 AM America/New_York", reply.Text());
        Assert.Contains("$175.00", await BudgetAsync());
    }

    [Fact]
    public async Task With_no_credits_at_all_undo_says_there_is_nothing_to_undo()
    {
        var reply = Assert.Single(await SayAsync("undo"));

        Assert.Contains("nothing to undo", reply.Text());
        Assert.Contains("15 minutes", reply.Text());
    }

    [Fact]
    public async Task History_rows_carry_undo_only_while_their_credit_can_be_undone()
    {
        var old = await CreditAsync("ACME-1");
        bot.Clock.Advance(TimeSpan.FromMinutes(10));
        var recent = await CreditAsync("ACME-2");

        var within = UndoButtons(Assert.Single(await SayAsync("history")).Card()!.Value).Select(d => d.GetProperty("command").GetString());
        bot.Clock.Advance(TimeSpan.FromMinutes(6));
        var later = UndoButtons(Assert.Single(await SayAsync("history")).Card()!.Value).Select(d => d.GetProperty("command").GetString());
        bot.Clock.Advance(TimeSpan.FromMinutes(10));
        var past = UndoButtons(Assert.Single(await SayAsync("history")).Card()!.Value);

        Assert.Equal(["undo " + recent, "undo " + old], within);
        Assert.Equal(["undo " + recent], later);
        Assert.Empty(past);
    }

    [Fact]
    public async Task The_history_undo_button_undoes_once_like_the_receipt_s()
    {
        var creditRef = await CreditAsync("ACME-1042");
        var undo = Assert.Single(UndoButtons(Assert.Single(await SayAsync("history")).Card()!.Value));

        await bot.ExchangeAsync(Click(undo));
        var again = (await bot.ExchangeAsync(Click(undo))).Everything();

        Assert.Contains($"{creditRef} was already undone", again);
        Assert.Contains("$200.00", await BudgetAsync());
        Assert.Empty(UndoButtons(Assert.Single(await SayAsync("history")).Card()!.Value));
    }
}
