using System.Net;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>Decline asks the manager why (Approvals:RequireDeclineReason); the rep reads who declined and why, now and in history.</summary>
public sealed class DeclineReasonTests : AlexAndMeganTests
{
    [Fact]
    public async Task Decline_without_a_comment_decides_nothing_and_with_one_the_rep_reads_it_in_the_outcome_and_history()
    {
        var id = await RequestExceptionAsync(bot, connector);
        Assert.Contains("needed to decline", (await CardToMeganAsync(connector, "ACME-1042")).GetRawText());

        var empty = await ClickAsync(bot, connector, "approval.decline", new { approvalId = id, comment = "   " });

        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains("Nothing was decided", empty.Body.GetRawText());
        Assert.Equal("Pending", (await bot.RowsAsync(Tables.Approvals, Activities.Tenant)).Single(r => r.RowKey == id).GetString("status"));

        await ClickAsync(bot, connector, "approval.decline", new { approvalId = id, comment = "Offer a replacement instead" });
        await QuietAsync(bot, () => OutcomesToAlex(connector, "ACME-1042").Count > 0, "Alex to be told");

        var outcome = Assert.Single(OutcomesToAlex(connector, "ACME-1042"));
        Assert.Contains("Megan Bowen declined", outcome);
        Assert.Contains("Offer a replacement instead", outcome);
        var history = (await bot.ExchangeAsync(connector.AsAlex("history"))).Everything();
        Assert.Contains("Declined by Megan Bowen", history);
        Assert.Contains("Offer a replacement instead", history);
    }
}
