using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>A request decided before its reminder and expiry takes them out of the outbox, instead of leaving them to wait there for hours.</summary>
public sealed class ScheduleCleanupTests : AlexAndMeganTests
{
    private async Task<List<string>> ScheduledAsync(string id) => (await bot.OutboxRowsAsync())
        .Select(r => r.RowKey).Where(k => k.EndsWith($"approval-remind-{id}", StringComparison.Ordinal) || k.EndsWith($"approval-expire-{id}", StringComparison.Ordinal)).ToList();

    [Theory]
    [InlineData("approval.approve", null)]
    [InlineData("approval.decline", "Offer a replacement instead")]
    public async Task A_decision_leaves_no_reminder_or_expiry_behind(string verb, string? comment)
    {
        var id = await RequestExceptionAsync(bot, connector);
        Assert.Equal(2, (await ScheduledAsync(id)).Count);

        await ClickAsync(bot, connector, verb, new { approvalId = id, comment });

        await Eventually.UntilAsync(async () => (await ScheduledAsync(id)).Count == 0, "the reminder and the expiry to leave the outbox");
    }

    [Fact]
    public async Task A_withdrawal_leaves_no_reminder_or_expiry_behind()
    {
        var id = await RequestExceptionAsync(bot, connector);

        await ClickAsAlexAsync(bot, connector, "approval.withdraw", new { approvalId = id });

        await Eventually.UntilAsync(async () => (await ScheduledAsync(id)).Count == 0, "the reminder and the expiry to leave the outbox");
    }

    [Fact]
    public async Task A_request_still_waiting_keeps_them()
    {
        var id = await RequestExceptionAsync(bot, connector);
        await bot.RunOutboxAsync(3);

        Assert.Equal(2, (await ScheduledAsync(id)).Count);
    }
}
