using System.Text;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using EmpowerBot.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Tests.Policy;

/// <summary>Where policies come from (the root section, a team's own) and how a bad one fails start-up.</summary>
public sealed class PolicyOptionsTests
{
    private static readonly Currency Usd = Currency.Of("USD");

    private const string TwoTeams = """
        {
          "Policy": {
            "Reasons": [ { "Name": "Late delivery", "Aliases": [ "late" ] } ],
            "ExceptionThreshold": 100, "HardMaximum": 500, "HoldList": [ "ACME-0001" ],
            "RepeatCustomer": { "MaxCredits": 3, "WithinDays": 7 }, "UndoWindow": "00:05:00", "CarryOver": true
          },
          "Organization": {
            "Teams": [
              { "Id": "root", "Currency": "USD", "TimeZone": "UTC" },
              { "Id": "own", "Currency": "USD", "TimeZone": "UTC",
                "Policy": { "Reasons": [ { "Name": "Goodwill", "Cap": 10 } ], "ExceptionThreshold": 300 } }
            ]
          }
        }
        """;

    private static Roster RosterFrom(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var organization = configuration.GetSection("Organization").Get<OrganizationOptions>() ?? new();
        var policy = configuration.GetSection("Policy").Get<PolicyOptions>() ?? new();
        return new Roster(Options.Create(organization), Options.Create(policy));
    }

    private static CreditDecision Decide(Team team, decimal amount, string customer = "ACME-1042") =>
        team.Policy.Decide(new CreditCheck(Money.FromDecimal(amount, Usd), null, "late", customer, Money.FromDecimal(1000, Usd), 0));

    [Fact]
    public void A_team_without_its_own_policy_follows_the_root_one()
    {
        var team = RosterFrom(TwoTeams).Teams.Single(t => t.Id == "root");

        Assert.Equal("exception-threshold", Decide(team, 150m).Rule.Id);
        Assert.True(Decide(team, 5m, "acme-0001").IsRefused);
        Assert.Equal(["Late delivery"], team.Policy.Reasons.Select(r => r.Name));
        Assert.Equal(TimeSpan.FromDays(7), team.Policy.RepeatWindow);
        Assert.Equal(TimeSpan.FromMinutes(5), team.Policy.UndoWindow);
        Assert.True(team.Policy.CarryOver);
    }

    [Fact]
    public void A_teams_own_policy_replaces_the_root_one_as_a_whole()
    {
        var team = RosterFrom(TwoTeams).Teams.Single(t => t.Id == "own");

        Assert.True(Decide(team, 150m).IsApplied);
        Assert.Equal("exception-threshold", Decide(team, 300.01m).Rule.Id);
        Assert.False(team.Policy.IsOnHold("ACME-0001"));
        Assert.Equal(10m, Assert.Single(team.Policy.Reasons).Cap);
        Assert.Equal(TimeSpan.FromDays(30), team.Policy.RepeatWindow);
        Assert.Equal(TimeSpan.FromMinutes(15), team.Policy.UndoWindow);
    }

    [Fact]
    public void The_shipped_policy_binds_and_is_valid()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppRoot.Find(), AppRoot.SettingsFile)).Build();
        var policy = configuration.GetSection("Policy").Get<PolicyOptions>()!;

        Assert.Empty(policy.Problems("Policy"));
        Assert.Equal(6, policy.Reasons.Count);
        Assert.Equal(20m, policy.Reasons.Single(r => r.Name == "Goodwill").Cap);
        Assert.Equal((100m, 500m), (policy.ExceptionThreshold, policy.HardMaximum));
        Assert.Equal(["cash refund", "gift card"], policy.ForbiddenReasons.Select(f => f.Name));
        Assert.Contains("refund in cash", policy.ForbiddenReasons[0].Aliases);
        Assert.Equal(["ACME-0001"], policy.HoldList);
        Assert.Equal((2, 30), (policy.RepeatCustomer.MaxCredits, policy.RepeatCustomer.WithinDays));
    }

    [Fact]
    public void A_forbidden_reason_is_configured_by_its_name_alone_or_with_aliases()
    {
        const string json = """
            { "Policy": { "ForbiddenReasons": [ "cash refund", { "Name": "gift card", "Aliases": [ "giftcard" ] } ] } }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var policy = new CreditPolicy(configuration.GetSection("Policy").Get<PolicyOptions>()!);

        Assert.Equal(["cash refund", "gift card"], policy.ForbiddenReasons.Select(f => f.Name));
        Assert.Empty(policy.ForbiddenReasons[0].Aliases);
        Assert.Equal(["giftcard"], policy.ForbiddenReasons[1].Aliases);
        Assert.Equal("gift card", policy.ForbiddenReasonIn("sent them a giftcard"));
    }

    public static TheoryData<Action<PolicyOptions>, string> BadPolicies => new()
    {
        { p => p.Reasons[1].Cap = 0, "Policy:Reasons:1:Cap must be more than zero." },
        { p => p.Reasons[0].Cap = -5, "Policy:Reasons:0:Cap must be more than zero." },
        { p => p.Reasons[1].Aliases.Add("late"), "Policy:Reasons:1:Aliases:2 'late' is already used by Policy:Reasons:0." },
        { p => p.Reasons[1].Name = "Late-Delivery", "Policy:Reasons:1:Name 'Late-Delivery' is already used by Policy:Reasons:0." },
        { p => p.Reasons[0].Name = " - ", "Policy:Reasons:0:Name must contain a word." },
        { p => p.ExceptionThreshold = 0, "Policy:ExceptionThreshold must be more than zero." },
        { p => p.HardMaximum = 50, "Policy:HardMaximum (50) must be at least Policy:ExceptionThreshold (100)." },
        { p => p.HardMaximum = 2_000_000, "Policy:HardMaximum must be at most 1,000,000." },
        { p => p.ForbiddenReasons.Add("Goodwill"), "Policy:ForbiddenReasons:1 'Goodwill' is also a name or alias of Policy:Reasons:1." },
        { p => p.ForbiddenReasons.Add("!!"), "Policy:ForbiddenReasons:1 must contain a word." },
        { p => p.ForbiddenReasons[0].Aliases.Add("delayed"), "Policy:ForbiddenReasons:0:Aliases:0 'delayed' is also a name or alias of Policy:Reasons:0." },
        { p => p.ForbiddenReasons[0].Aliases.Add("?"), "Policy:ForbiddenReasons:0:Aliases:0 must contain a word." },
        { p => p.HoldList.Add("ACME/7"), "Policy:HoldList:1: 'ACME/7' can't be a customer reference: it contains '/'." },
        { p => p.HoldList.Add(" "), "Policy:HoldList:1: The customer reference is empty." },
        { p => p.HoldList.Add("\u0410\u0421\u041C\u0415-7"), "Policy:HoldList:1: '\u0410\u0421\u041C\u0415-7' mixes Cyrillic letters with Latin letters or digits, which is how look-alike references are disguised; write the customer reference in Latin letters (A-Z) and digits, as it appears on the customer's account." },
        { p => p.RepeatCustomer.MaxCredits = -1, "Policy:RepeatCustomer:MaxCredits must be 0 (off) or more." },
        { p => p.RepeatCustomer.WithinDays = -1, "Policy:RepeatCustomer:WithinDays must be between 0 (off) and 3660." },
        { p => p.UndoWindow = TimeSpan.FromMinutes(-1), "Policy:UndoWindow must be between 00:00:00 (no undo) and 1.00:00:00." },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void A_bad_policy_is_refused_naming_its_key(Action<PolicyOptions> spoil, string error)
    {
        var options = Valid();
        spoil(options);

        Assert.Equal([error], options.Problems("Policy"));
        Assert.True(new PolicyOptionsValidator().Validate(null, options).Failed);
    }

    [Fact]
    public void A_good_policy_passes()
    {
        Assert.Empty(Valid().Problems("Policy"));
        Assert.Empty(new PolicyOptions().Problems("Policy"));
        Assert.True(new PolicyOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Fact]
    public void A_teams_own_policy_is_checked_under_the_teams_key()
    {
        var policy = Valid();
        policy.Reasons[0].Cap = 0;
        var organization = new OrganizationOptions
        {
            Teams = [new TeamOptions { Id = "a", TimeZone = "UTC" }, new TeamOptions { Id = "b", TimeZone = "UTC", Policy = policy }],
        };

        var result = new OrganizationOptionsValidator().Validate(null, organization);

        Assert.Equal(["Organization:Teams:1:Policy:Reasons:0:Cap must be more than zero."], result.Failures);
    }

    private static PolicyOptions Valid() => new()
    {
        Reasons =
        [
            new() { Name = "Late delivery", Aliases = ["late", "delayed"] },
            new() { Name = "Goodwill", Aliases = ["goodwill", "apology"], Cap = 20m },
        ],
        ExceptionThreshold = 100m,
        HardMaximum = 500m,
        ForbiddenReasons = ["cash refund"],
        HoldList = ["ACME-0001"],
    };
}
