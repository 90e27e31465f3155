using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Insights;

namespace EmpowerBot.Tests.Insights;

/// <summary>The metric definitions of docs and README, on fixture data.</summary>
public sealed class FrontlineMetricsTests
{
    private static readonly Currency Usd = Currency.Of("USD");
    private static readonly DateTimeOffset T0 = new(2026, 11, 10, 15, 0, 0, TimeSpan.Zero);

    private static Credit C(CreditStatus status, bool exception = false) =>
        new("C-0000", Guid.NewGuid().ToString("N"), new Money(10_00, Usd), "X", "Late delivery", status, T0, "r", "n", new Money(0, Usd), exception);

    [Fact]
    public void Resolution_rate_counts_applied_credits_over_every_request_except_undone_ones()
    {
        var credits = new[]
        {
            C(CreditStatus.Applied), C(CreditStatus.Applied), C(CreditStatus.Applied),
            C(CreditStatus.Applied, exception: true), C(CreditStatus.PendingApproval), C(CreditStatus.Declined), C(CreditStatus.Expired),
            C(CreditStatus.Refused), C(CreditStatus.Voided),
        };

        var figures = ResolutionFigures.Of(credits);

        Assert.Equal(8, figures.Requests);
        Assert.Equal(3, figures.Resolved);
        Assert.Equal(4, figures.Escalated);
        Assert.Equal(1, figures.Refused);
        Assert.Equal(3.0 / 8, figures.Rate);
    }

    [Fact]
    public void An_empty_month_has_no_rate_rather_than_zero()
    {
        Assert.Null(ResolutionFigures.Of([]).Rate);
        Assert.Null(ResolutionFigures.Of([C(CreditStatus.Voided)]).Rate);
    }

    [Fact]
    public void Budget_use_is_a_distribution_of_reps_by_share_used()
    {
        var team = new Team("t", "T", "", Usd, TimeZoneInfo.Utc, new Money(200_00, Usd), []);
        BudgetStatus Spent(long cents) => new(new Person("x", "p" + cents, "P", team, Role.Rep), team,
            Period.Containing(T0, TimeZoneInfo.Utc), team.MonthlyBudget, new Balance(new Money(cents, Usd), new Money(0, Usd), null), []);

        var use = BudgetUse.Of([Spent(0), Spent(19_99), Spent(20_00), Spent(99_99), Spent(100_00), Spent(179_99), Spent(180_00), Spent(200_00)]);

        Assert.Equal(new BudgetUse(2, 2, 2, 2), use);
    }

    [Fact]
    public void Exceptions_report_approval_rate_over_decided_ones_and_the_median_time_to_decide()
    {
        ApprovalOutcome R(ApprovalStatus status, double hours) => new ApprovalRequest("a" + Guid.NewGuid().ToString("N"), "t", "p", "P", "team", "pk", "C-1", 100, "USD",
            "X", "r", "over-budget", "s", [], status, T0, T0.AddDays(1), DecidedAt: status is ApprovalStatus.Pending or ApprovalStatus.Expired ? null : T0.AddHours(hours)).Outcome;

        var figures = ExceptionFigures.Of([R(ApprovalStatus.Approved, 1), R(ApprovalStatus.Approved, 3), R(ApprovalStatus.Declined, 2),
            R(ApprovalStatus.Approved, 10), R(ApprovalStatus.Expired, 0), R(ApprovalStatus.Pending, 0)]);

        Assert.Equal(6, figures.Count);
        Assert.Equal(0.75, figures.ApprovalRate);
        Assert.Equal(TimeSpan.FromHours(2.5), figures.MedianTimeToDecision);
        Assert.Equal(1, figures.Expired);
        Assert.Equal(1, figures.Pending);
    }

    [Fact]
    public void No_decisions_means_no_approval_rate_and_no_median()
    {
        var figures = ExceptionFigures.Of([]);

        Assert.Null(figures.ApprovalRate);
        Assert.Null(figures.MedianTimeToDecision);
    }
}
