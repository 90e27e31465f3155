using System.Net;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>One decision, one settlement: the rep hears once and at once, each card copy is updated once or marked gone.</summary>
public sealed class ApprovalSettlementTests : IAsyncLifetime
{
    private FakeConnector connector = null!;
    private FakeConnector elsewhere = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        connector = await FakeConnector.StartAsync();
        elsewhere = await FakeConnector.StartAsync();
        bot = new BotHost();
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
        await elsewhere.DisposeAsync();
    }

    [Fact]
    public async Task Approve_and_decline_racing_tell_the_rep_once_and_update_the_card_once()
    {
        foreach (var customer in new[] { "ACME-1042", "ACME-2042", "ACME-3042" })
        {
            var id = await RequestExceptionAsync(bot, connector, customer);

            await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                ClickAsync(bot, connector, i % 2 == 0 ? "approval.approve" : "approval.decline", new { approvalId = id, comment = "Offer a replacement" })));

            await QuietAsync(bot, () => OutcomesToAlex(connector, customer).Count > 0 && UpdatesOf(connector, MeganChat, customer) > 0, $"the outcome for {customer}");
            Assert.Single(OutcomesToAlex(connector, customer));
            Assert.Equal(1, UpdatesOf(connector, MeganChat, customer));
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_card_copy_that_is_gone_is_marked_gone_and_the_rep_is_told_at_once(HttpStatusCode answer)
    {
        var id = await RequestExceptionAsync(bot, connector);
        await AddCopyAsync(bot, id, elsewhere.ServiceUrl, "a:deleted-chat", "1777");
        elsewhere.FailNext(1000, answer);

        await ClickAsync(bot, connector, "approval.approve", new { approvalId = id });

        await QuietAsync(bot, () => OutcomesToAlex(connector, "ACME-1042").Count > 0, "Alex to be told");
        Assert.Equal(1, UpdatesOf(connector, MeganChat, "ACME-1042"));
        var copies = (await bot.RowsAsync(Tables.Approvals, Activities.Tenant)).Where(r => r.RowKey.StartsWith(id + "|copy|")).ToList();
        Assert.Equal(["Gone", "Updated"], copies.Select(c => c.GetString("state")).Order());
        Assert.Equal("a:deleted-chat", copies.Single(c => c.GetString("state") == "Gone").GetString("conversationId"));
    }

    [Fact]
    public async Task A_card_copy_that_fails_for_a_while_is_updated_later_on_its_own_and_the_rep_is_told_at_once()
    {
        var id = await RequestExceptionAsync(bot, connector);
        await AddCopyAsync(bot, id, elsewhere.ServiceUrl, "a:flaky-chat", "1888");
        elsewhere.FailNext(5, HttpStatusCode.ServiceUnavailable);

        await ClickAsync(bot, connector, "approval.approve", new { approvalId = id });

        await QuietAsync(bot, () => OutcomesToAlex(connector, "ACME-1042").Count > 0 && elsewhere.Attempts >= 5, "Alex to be told while a copy fails");
        Assert.Equal(0, UpdatesOf(elsewhere, "a:flaky-chat", "ACME-1042"));
        bot.Clock.Advance(TimeSpan.FromMinutes(10));
        await QuietAsync(bot, () => UpdatesOf(elsewhere, "a:flaky-chat", "ACME-1042") > 0, "the flaky copy to be updated");
        Assert.Equal(1, UpdatesOf(elsewhere, "a:flaky-chat", "ACME-1042"));
        Assert.Single(OutcomesToAlex(connector, "ACME-1042"));
    }

    [Fact]
    public async Task A_card_copy_recorded_after_the_decision_is_updated_once()
    {
        var id = await RequestExceptionAsync(bot, connector);
        await ClickAsync(bot, connector, "approval.decline", new { approvalId = id, comment = "Offer a replacement" });
        await QuietAsync(bot, () => OutcomesToAlex(connector, "ACME-1042").Count > 0, "Alex to be told");

        // A card still on its way when the decision was written lands afterwards: it shows the outcome too.
        await AddCopyAsync(bot, id, elsewhere.ServiceUrl, "a:late-chat", "1999");

        await QuietAsync(bot, () => UpdatesOf(elsewhere, "a:late-chat", "ACME-1042") > 0, "the late copy to be updated");
        Assert.Equal(1, UpdatesOf(elsewhere, "a:late-chat", "ACME-1042"));
        Assert.Equal(1, UpdatesOf(connector, MeganChat, "ACME-1042"));
        Assert.Single(OutcomesToAlex(connector, "ACME-1042"));
    }
}
