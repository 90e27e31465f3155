using EmpowerBot.Approvals;

namespace EmpowerBot.Tests.Approvals;

/// <summary>
/// A decision's settle step can be picked up a moment before the decision is written; it waits briefly, so the
/// manager's card and the rep's message follow the click within about a second, and backs off only when the decision
/// keeps not appearing.
/// </summary>
public sealed class ApprovalSettleWaitTests
{
    [Fact]
    public void The_first_waits_are_a_second_each_so_a_decision_written_a_moment_late_is_settled_at_once()
    {
        Assert.All(Enumerable.Range(1, 5), attempt => Assert.Equal(TimeSpan.FromSeconds(1), ApprovalSchedule.SettleWait(attempt)));
        Assert.True(Enumerable.Range(1, 5).Sum(a => ApprovalSchedule.SettleWait(a).TotalSeconds) <= 5);
    }

    [Fact]
    public void A_decision_that_never_appears_is_waited_for_ever_longer_up_to_ten_minutes()
    {
        var waits = Enumerable.Range(6, 20).Select(ApprovalSchedule.SettleWait).ToList();

        Assert.Equal(waits.Order().ToList(), waits);
        Assert.True(waits[0] > TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMinutes(10), waits[^1]);
    }
}
