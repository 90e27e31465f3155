using EmpowerBot.Budget;
using EmpowerBot.Policy;

namespace EmpowerBot.Tests.Policy;

/// <summary>The decision table: every rule alone, its boundary, and which rule wins when several fire.</summary>
public sealed class CreditPolicyTests
{
    private static readonly Currency Usd = Currency.Of("USD");
    private static readonly ReasonDefinition LateDelivery = new("Late delivery", ["late", "delayed"]);
    private static readonly ReasonDefinition Goodwill = new("Goodwill", ["goodwill", "apology"], 20m);

    private static Money M(decimal amount) => Money.FromDecimal(amount, Usd);

    /// <summary>The shipped default: threshold $100, maximum $500, Goodwill capped at $20, 2 credits in 30 days.</summary>
    private static PolicyOptions Options() => new()
    {
        Reasons = [new() { Name = "Late delivery", Aliases = ["late", "delayed"] }, new() { Name = "Goodwill", Aliases = ["goodwill", "apology"], Cap = 20m }],
        ExceptionThreshold = 100m,
        HardMaximum = 500m,
        ForbiddenReasons = ["cash refund", "gift card"],
        HoldList = ["ACME-0001"],
    };

    private static CreditDecision Decide(
        decimal amount, decimal remaining = 200m, ReasonDefinition? reason = null, string? text = "late delivery",
        string customer = "ACME-1042", int earlier = 0, PolicyOptions? options = null) =>
        new CreditPolicy(options ?? Options()).Decide(new CreditCheck(M(amount), reason ?? LateDelivery, text, customer, M(remaining), earlier));

    [Fact]
    public void A_credit_within_policy_and_budget_is_applied()
    {
        var decision = Decide(25m, remaining: 150m);

        Assert.Equal(CreditOutcome.Applied, decision.Outcome);
        Assert.Equal("within-policy", decision.Rule.Id);
        Assert.Equal("$25.00 is within policy; you will have $125.00 left this month.", decision.Sentence);
        Assert.Null(decision.WhatToDo);
        Assert.Empty(decision.Findings);
    }

    [Fact]
    public void A_customer_on_hold_gets_no_credit_at_all()
    {
        var decision = Decide(5m, customer: "ACME-0001");

        Assert.Equal(CreditOutcome.Refused, decision.Outcome);
        Assert.Equal(PolicyRule.CustomerOnHold, decision.Rule);
        Assert.Equal("ACME-0001 is on hold: no credit can be given to this customer (non-negotiable).", decision.Sentence);
        Assert.NotNull(decision.WhatToDo);
    }

    [Theory]
    [InlineData("cash refund")]
    [InlineData("she wants a cash refund instead")]
    [InlineData("Gift-Card")]
    [InlineData("gift crad")]
    public void A_forbidden_reason_is_refused_wherever_it_appears_in_the_text(string text)
    {
        var decision = Decide(10m, reason: null, text: text);

        Assert.Equal(CreditOutcome.Refused, decision.Outcome);
        Assert.Equal("forbidden-reason", decision.Rule.Id);
        Assert.Contains("never allowed (non-negotiable)", decision.Sentence);
        Assert.NotNull(decision.WhatToDo);
    }

    [Fact]
    public void A_forbidden_reason_is_refused_even_beside_a_configured_reason()
    {
        Assert.True(Decide(10m, reason: Goodwill, text: "goodwill gift card").IsRefused);
    }

    [Fact]
    public void A_credit_above_the_hard_maximum_is_refused_with_what_to_do_instead()
    {
        var decision = Decide(500.01m, remaining: 1000m);

        Assert.Equal(CreditOutcome.Refused, decision.Outcome);
        Assert.Equal(PolicyRule.HardMaximum, decision.Rule);
        Assert.Equal("Credits above $500.00 are never allowed (non-negotiable).", decision.Sentence);
        Assert.Equal("Escalate to your team lead if the customer needs more.", decision.WhatToDo);
    }

    [Fact]
    public void A_credit_above_its_reasons_cap_needs_approval()
    {
        var decision = Decide(20.01m, reason: Goodwill, text: "goodwill");

        Assert.Equal(CreditOutcome.NeedsApproval, decision.Outcome);
        Assert.Equal(PolicyRule.ReasonCap, decision.Rule);
        Assert.Equal("Goodwill credits can be up to $20.00 without approval; that is $0.01 more.", decision.Sentence);
        Assert.Null(decision.WhatToDo);
    }

    [Fact]
    public void A_credit_above_the_exception_threshold_needs_approval()
    {
        var decision = Decide(100.01m, remaining: 1000m);

        Assert.Equal(PolicyRule.ExceptionThreshold, decision.Rule);
        Assert.Equal("That is more than the $100.00 a single credit can be without approval.", decision.Sentence);
    }

    [Fact]
    public void A_third_credit_to_one_customer_within_the_window_needs_approval()
    {
        var decision = Decide(10m, earlier: 2);

        Assert.Equal(PolicyRule.RepeatCustomer, decision.Rule);
        Assert.Equal("ACME-1042 already had 2 credits in the last 30 days.", decision.Sentence);
        Assert.True(Decide(10m, earlier: 1).IsApplied);
    }

    [Fact]
    public void A_credit_over_the_remaining_budget_needs_approval()
    {
        var decision = Decide(50m, remaining: 20m);

        Assert.Equal(PolicyRule.OverBudget, decision.Rule);
        Assert.Equal("That is $30.00 more than the $20.00 you have left this month.", decision.Sentence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-12.5)]
    public void With_nothing_left_any_credit_needs_approval(decimal remaining)
    {
        var decision = Decide(0.01m, remaining: remaining);

        Assert.Equal(PolicyRule.OverBudget, decision.Rule);
        Assert.Equal("You have no budget left this month.", decision.Sentence);
    }

    [Theory]
    [InlineData("hard-maximum", 500, 1000)]
    [InlineData("exception-threshold", 100, 1000)]
    [InlineData("over-budget", 150, 150)]
    [InlineData("reason-cap", 20, 200)]
    public void Exactly_at_a_limit_is_allowed_and_one_cent_over_is_not(string rule, decimal limit, decimal remaining)
    {
        // Each limit on its own, so no other rule can hide the boundary.
        var options = new PolicyOptions { RepeatCustomer = { MaxCredits = 0 } };
        if (rule == "hard-maximum") options.HardMaximum = limit;
        if (rule == "exception-threshold") options.ExceptionThreshold = limit;
        var reason = rule == "reason-cap" ? Goodwill : LateDelivery;

        var atLimit = Decide(limit, remaining, reason, reason.Name, options: options);
        var over = Decide(limit + 0.01m, remaining + (rule == "over-budget" ? 0 : 1), reason, reason.Name, options: options);

        Assert.True(atLimit.IsApplied, atLimit.Sentence);
        Assert.Equal(rule, over.Rule.Id);
    }

    [Fact]
    public void Non_negotiable_beats_exception_and_every_finding_is_listed_in_order()
    {
        var decision = Decide(600m, remaining: 100m, reason: Goodwill, text: "goodwill", customer: "ACME-0001", earlier: 5);

        Assert.Equal(CreditOutcome.Refused, decision.Outcome);
        Assert.Equal(
            ["customer-on-hold", "hard-maximum", "reason-cap", "exception-threshold", "repeat-customer", "over-budget"],
            decision.Findings.Select(f => f.Rule.Id));
    }

    [Theory]
    [InlineData(150, 100, 5, "goodwill", "reason-cap")]
    [InlineData(150, 100, 5, "late", "exception-threshold")]
    [InlineData(50, 10, 5, "late", "repeat-customer")]
    [InlineData(50, 10, 0, "late", "over-budget")]
    public void Within_the_exception_tier_the_first_rule_in_precedence_order_decides(decimal amount, decimal remaining, int earlier, string reason, string rule)
    {
        var decision = Decide(amount, remaining, reason == "goodwill" ? Goodwill : LateDelivery, reason, earlier: earlier);

        Assert.Equal(CreditOutcome.NeedsApproval, decision.Outcome);
        Assert.Equal(rule, decision.Rule.Id);
        Assert.Equal(decision.Findings[0].Sentence, decision.Sentence);
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(2, 0)]
    public void The_repeat_rule_is_off_when_either_value_is_zero(int maxCredits, int withinDays)
    {
        var options = Options();
        options.RepeatCustomer = new RepeatCustomerOptions { MaxCredits = maxCredits, WithinDays = withinDays };

        Assert.True(Decide(10m, earlier: 50, options: options).IsApplied);
        Assert.Null(new CreditPolicy(options).RepeatWindow);
    }

    [Fact]
    public void An_unknown_reason_is_judged_on_the_other_rules_alone()
    {
        var decision = new CreditPolicy(Options()).Decide(new CreditCheck(M(30m), null, "customer was upset", "ACME-1042", M(200m), 0));

        Assert.True(decision.IsApplied);
    }

    [Fact]
    public void Held_references_are_compared_in_their_normal_form()
    {
        var options = Options();
        options.HoldList = ["#acme-0002"];

        Assert.True(Decide(5m, customer: "ACME-0002", options: options).IsRefused);
        Assert.True(new CreditPolicy(options).IsOnHold("ACME-0002"));
    }

    [Fact]
    public void A_credit_of_zero_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Decide(0m));
    }

    [Fact]
    public void The_policy_exposes_its_windows_for_the_ledger()
    {
        var policy = new CreditPolicy(Options());

        Assert.Equal(TimeSpan.FromDays(30), policy.RepeatWindow);
        Assert.Equal(TimeSpan.FromMinutes(15), policy.UndoWindow);
        Assert.False(policy.CarryOver);
        Assert.Equal(["Late delivery", "Goodwill"], policy.Reasons.Select(r => r.Name));
    }
}
