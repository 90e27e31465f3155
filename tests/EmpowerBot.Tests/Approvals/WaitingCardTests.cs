using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>The rep's own card of a request: a note for the manager, Withdraw once, Nudge once in a while, and `status`.</summary>
public sealed class WaitingCardTests : AlexAndMeganTests
{
    private int TextsToMegan(string contains) => connector.Calls.Count(c => c.Method == "POST" && c.Path.Contains(MeganChat)
        && c.Body.TryGetProperty("text", out var t) && t.GetString()!.Contains(contains));

    [Fact]
    public async Task A_request_with_no_words_of_the_rep_offers_a_note_that_then_shows_on_the_managers_card()
    {
        await bot.PostAsync(connector.AsMegan("hello"));
        var reply = (await bot.ExchangeAsync(connector.AsAlex("credit $150 to ACME-1042 for late delivery"))).Everything();
        Assert.Contains("Add a note for Megan", reply);
        Assert.Contains("approval.withdraw", reply);
        var id = await RequestIdAsync();

        var empty = await ClickAsAlexAsync(bot, connector, "approval.note", new { approvalId = id, note = "  " });
        Assert.Contains("Write the note first", empty.Body);
        var noted = await ClickAsAlexAsync(bot, connector, "approval.note", new { approvalId = id, note = "customer called twice about it" });

        Assert.Contains("Your note", noted.Body);
        Assert.DoesNotContain("Add a note for Megan", noted.Body);
        await QuietAsync(bot, () => connector.Calls.Any(c => c.Method == "PUT" && c.Path.Contains(MeganChat) && c.Body.GetRawText().Contains("customer called twice about it")),
            "Megan's card to show the note");
        Assert.Contains("approval.approve", connector.Calls.Last(c => c.Method == "PUT" && c.Path.Contains(MeganChat)).Body.GetRawText());
    }

    [Fact]
    public async Task Withdraw_cancels_the_request_once_and_a_later_approve_finds_it_withdrawn()
    {
        var id = await RequestExceptionAsync(bot, connector);

        var withdrawn = await ClickAsAlexAsync(bot, connector, "approval.withdraw", new { approvalId = id });
        var again = await ClickAsAlexAsync(bot, connector, "approval.withdraw", new { approvalId = id });
        var approve = await ClickAsync(bot, connector, "approval.approve", new { approvalId = id });

        Assert.Contains("Withdrawn by Alex Wilber", withdrawn.Body);
        Assert.Contains("Withdrawn by Alex Wilber", again.Body);
        Assert.Contains("Withdrawn by Alex Wilber", approve.Body.GetRawText());
        Assert.DoesNotContain("approval.approve", approve.Body.GetRawText());
        await QuietAsync(bot, () => UpdatesOf(connector, MeganChat, "ACME-1042") > 0, "Megan's copy to be updated");
        Assert.Equal(1, UpdatesOf(connector, MeganChat, "ACME-1042"));
        Assert.Contains("Withdrawn by Alex Wilber", connector.Calls.Single(c => c.Method == "PUT" && c.Path.Contains(MeganChat)).Body.GetRawText());
        Assert.Equal("Withdrawn", await CreditStatusAsync(bot));
        Assert.Empty(OutcomesToAlex(connector, "ACME-1042"));
    }

    [Fact]
    public async Task Nudge_waits_a_while_then_reminds_the_approver_once_per_while()
    {
        var id = await RequestExceptionAsync(bot, connector);

        var early = await ClickAsAlexAsync(bot, connector, "approval.nudge", new { approvalId = id });
        Assert.Contains("You can nudge Megan from 11:00 AM", early.Body);
        bot.Clock.Advance(TimeSpan.FromHours(1));
        var nudged = await ClickAsAlexAsync(bot, connector, "approval.nudge", new { approvalId = id });
        var twice = await ClickAsAlexAsync(bot, connector, "approval.nudge", new { approvalId = id });

        Assert.DoesNotContain("approval.nudge", nudged.Body);
        Assert.Contains("You can nudge Megan from 12:00 PM", twice.Body);
        await QuietAsync(bot, () => TextsToMegan("Alex Wilber is waiting on your decision") > 0, "Megan to be nudged");
        Assert.Equal(1, TextsToMegan("Alex Wilber is waiting on your decision"));
    }

    [Fact]
    public async Task Status_shows_each_waiting_request_with_its_buttons()
    {
        await RequestExceptionAsync(bot, connector);

        var status = (await bot.ExchangeAsync(connector.AsAlex("status"))).Everything();

        Assert.Contains("ACME-1042", status);
        Assert.Contains("approval.withdraw", status);
        Assert.Contains("Megan", status);
    }

    [Fact]
    public async Task The_rep_s_card_refreshes_to_the_outcome_so_a_declined_request_no_longer_offers_Withdraw()
    {
        var id = await RequestExceptionAsync(bot, connector);
        var waiting = (await bot.ExchangeAsync(connector.AsAlex("status"))).Everything();
        Assert.Contains("\"approval.view\"", waiting);

        await ClickAsync(bot, connector, "approval.decline", new { approvalId = id, comment = "Offer a replacement instead" });
        var view = await ClickAsAlexAsync(bot, connector, "approval.view", new { approvalId = id });

        Assert.Contains("Declined by Megan Bowen", view.Body);
        Assert.DoesNotContain("approval.withdraw", view.Body);
        Assert.DoesNotContain("Expires", view.Body);
        var stranger = await ClickAsync(bot, connector, "approval.view", new { approvalId = id });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, stranger.Status);
    }

    [Fact]
    public async Task The_rep_s_card_in_chat_is_replaced_by_the_outcome_even_where_the_client_never_refreshes_it()
    {
        var id = await RequestExceptionAsync(bot, connector, posted: true);

        await ClickAsync(bot, connector, "approval.approve", new { approvalId = id });

        await QuietAsync(bot, () => UpdatesOf(connector, AlexChat, "ACME-1042") > 0, "Alex's card to show the outcome");
        var replaced = connector.Calls.Single(c => c.Method == "PUT" && c.Path.Contains(AlexChat)).Body.GetRawText();
        Assert.Contains("Approved by Megan Bowen", replaced);
        Assert.DoesNotContain("approval.withdraw", replaced);
        Assert.DoesNotContain("approval.approve", replaced); // the rep's own card, never the approver's
        Assert.Equal(1, UpdatesOf(connector, MeganChat, "ACME-1042"));
    }

    [Fact]
    public async Task Each_card_status_showed_is_replaced_by_the_outcome_too()
    {
        var id = await RequestExceptionAsync(bot, connector, posted: true);
        await PostAndWaitAsync(bot, connector, connector.AsAlex("status"), "Waiting for approval: 1 request");

        await ClickAsync(bot, connector, "approval.decline", new { approvalId = id, comment = "Offer a replacement instead" });

        await QuietAsync(bot, () => UpdatesOf(connector, AlexChat, "ACME-1042") >= 2, "both of Alex's cards to show the outcome");
        Assert.All(connector.Calls.Where(c => c.Method == "PUT" && c.Path.Contains(AlexChat)), c => Assert.Contains("Declined by Megan Bowen", c.Body.GetRawText()));
    }

    private async Task<string> RequestIdAsync()
    {
        var card = await CardToMeganAsync(connector, "ACME-1042");
        var id = card.GetProperty("actions")[0].GetProperty("data").GetProperty("approvalId").GetString()!;
        await EmpowerBot.Tests.Fixtures.Eventually.UntilAsync(async () => (await bot.RowsAsync(Tables.Approvals, Activities.Tenant))
            .Any(r => r.RowKey.StartsWith(id + "|copy|")), "Megan's card copy to be recorded");
        return id;
    }
}
