using System.Text.Json;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Channels.BotFramework;

/// <summary>Invariant 7 in Teams: the outcome of an Action.Submit that writes replaces the card's message (PUT to the connector).</summary>
public sealed class CardReplacementTests : IAsyncLifetime
{
    private readonly BotHost bot = new();
    private FakeConnector connector = null!;

    public async Task InitializeAsync() => connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
    }

    /// <summary>Sends a message as Teams does (replies go to the connector) and returns what the bot sent meanwhile.</summary>
    private async Task<IReadOnlyList<ConnectorCall>> SendAsync(Dictionary<string, object?> activity)
    {
        connector.Clear();
        using var response = await bot.PostAsync(activity);
        Assert.True(response.IsSuccessStatusCode);
        return connector.Calls;
    }

    private Dictionary<string, object?> Submit(object value, string cardMessageId)
    {
        var submit = Activities.Message("", connector.ServiceUrl);
        submit.Remove("text");
        submit["value"] = value;
        submit["replyToId"] = cardMessageId;
        return submit;
    }

    private static JsonElement CardOf(ConnectorCall call) => call.Body.GetProperty("attachments")[0].GetProperty("content");

    private static JsonElement FormData(ConnectorCall formPost) => CardOf(formPost).GetProperty("actions")[0].GetProperty("data");

    private static JsonElement UndoData(ConnectorCall receipt) => CardOf(receipt).GetProperty("actions").EnumerateArray()
        .Single(action => action.GetProperty("title").GetString()!.StartsWith("Undo (until", StringComparison.Ordinal)).GetProperty("data");

    /// <summary>Both clicks PUT the same receipt over the clicked card's message.</summary>
    private static void AssertReceiptReplacedTwice(ConnectorCall first, ConnectorCall second, string cardMessageId)
    {
        Assert.Equal("PUT", first.Method);
        Assert.EndsWith("/activities/" + cardMessageId, first.Path);
        Assert.Contains("Credit applied", CardOf(first).GetRawText());
        // Where Apply was, the receipt's first button: a double-click lands on My budget, never on Undo.
        Assert.Equal("My budget", CardOf(first).GetProperty("actions")[0].GetProperty("title").GetString());
        Assert.Equal("PUT", second.Method);
        Assert.Equal(first.Body.GetProperty("summary").GetString(), second.Body.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Apply_credit_replaces_the_form_with_the_receipt_and_a_second_click_replaces_it_with_the_same_receipt()
    {
        var form = Assert.Single(await SendAsync(Activities.Message("credit $10 for late delivery", connector.ServiceUrl)));
        var op = FormData(form).GetProperty("op").GetString();
        var value = new { command = "credit-form", op, amount = "10.00", customer = "acme-4", reason = "Late delivery" };

        var first = Assert.Single(await SendAsync(Submit(value, "form-message-1")));
        var second = Assert.Single(await SendAsync(Submit(value, "form-message-1")));

        AssertReceiptReplacedTwice(first, second, "form-message-1");
    }

    [Fact]
    public async Task Apply_on_a_credit_question_replaces_the_question_with_the_receipt()
    {
        var question = Assert.Single(await SendAsync(Activities.Message("can I give ACME-9 $40 for a missing item?", connector.ServiceUrl)));
        var value = JsonSerializer.Deserialize<Dictionary<string, string>>(FormData(question).GetRawText())!;

        var first = Assert.Single(await SendAsync(Submit(value, "question-message-1")));
        var second = Assert.Single(await SendAsync(Submit(value, "question-message-1")));

        AssertReceiptReplacedTwice(first, second, "question-message-1");
    }

    [Fact]
    public async Task Undo_replaces_the_receipt_with_an_undone_receipt_that_has_no_undo_button()
    {
        var receipt = Assert.Single(await SendAsync(Activities.Message("credit $10 to ACME-4 for late delivery", connector.ServiceUrl)));
        var undo = UndoData(receipt);
        var value = JsonSerializer.Deserialize<Dictionary<string, string>>(undo.GetRawText())!;

        var answers = await SendAsync(Submit(value, "receipt-message-1"));
        var again = await SendAsync(Submit(value, "receipt-message-1"));

        foreach (var call in new[] { Assert.Single(answers), Assert.Single(again) })
        {
            Assert.Equal("PUT", call.Method);
            Assert.EndsWith("/activities/receipt-message-1", call.Path);
            var card = CardOf(call).GetRawText();
            Assert.Contains("Credit undone", card);
            Assert.DoesNotContain("Undo (until", card);
        }
        Assert.Contains("$200.00", (await bot.ExchangeAsync(Activities.Message("budget"))).Everything());
    }

    [Fact]
    public async Task A_form_resubmitted_after_its_credit_was_undone_shows_it_undone_with_no_undo()
    {
        var form = Assert.Single(await SendAsync(Activities.Message("credit $10 for late delivery", connector.ServiceUrl)));
        var value = new { command = "credit-form", op = FormData(form).GetProperty("op").GetString(), amount = "10.00", customer = "acme-4", reason = "Late delivery" };
        var receipt = Assert.Single(await SendAsync(Submit(value, "form-message-2")));
        var creditRef = UndoData(receipt).GetProperty("command").GetString()!;
        await SendAsync(Activities.Message(creditRef, connector.ServiceUrl));

        var card = CardOf(Assert.Single(await SendAsync(Submit(value, "form-message-2")))).GetRawText();

        Assert.Contains("Credit undone", card);
        Assert.DoesNotContain("Undo (until", card);
    }

    [Fact]
    public async Task A_reply_the_connector_will_not_put_in_place_of_the_card_is_posted_instead()
    {
        var form = Assert.Single(await SendAsync(Activities.Message("credit $10 for late delivery", connector.ServiceUrl)));
        var value = new { command = "credit-form", op = FormData(form).GetProperty("op").GetString(), amount = "10.00", customer = "acme-4", reason = "Late delivery" };
        connector.FailNext(1, System.Net.HttpStatusCode.NotFound);

        var calls = await SendAsync(Submit(value, "gone-message"));

        var posted = Assert.Single(calls);
        Assert.Equal("POST", posted.Method);
        Assert.Contains("Credit applied", CardOf(posted).GetRawText());
    }
}
