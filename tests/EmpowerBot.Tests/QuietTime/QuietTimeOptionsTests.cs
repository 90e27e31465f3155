using System.Text;
using EmpowerBot.Conversation;
using EmpowerBot.QuietTime;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>Where a team's quiet-time settings come from (the root section, a team's own keys) and how a bad one fails start-up.</summary>
public sealed class QuietTimeOptionsTests
{
    private static IConfiguration Config(string json) => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static ServiceProvider Settings(IConfiguration configuration) =>
        new ServiceCollection().AddSingleton(configuration).AddQuietTimeSettings().BuildServiceProvider();

    /// <summary>What start-up reports: the root section's problems, else every team's.</summary>
    private static IReadOnlyList<string> Failures(string json)
    {
        using var services = Settings(Config(json));
        try
        {
            _ = services.GetRequiredService<IOptions<QuietTimeOptions>>().Value;
            _ = services.GetRequiredService<PromptPolicies>();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
    }

    private static Team TeamNamed(string id) => new(id, id, "", EmpowerBot.Budget.Currency.Of("USD"), TimeZoneInfo.Utc,
        EmpowerBot.Budget.Money.FromDecimal(200, EmpowerBot.Budget.Currency.Of("USD")), []);

    [Fact]
    public void A_team_s_own_keys_override_the_root_and_the_rest_follow_it()
    {
        var configuration = Config("""
            {
              "QuietTime": { "BreakMinutes": 12, "InteractionsSinceBreak": 30, "WorkingDays": "Mon,Tue" },
              "Organization": { "Teams": [ { "Id": "root" }, { "Id": "own", "QuietTime": { "BreakMinutes": 20, "WorkingHours": "07:00-15:00" } } ] }
            }
            """);
        using var services = Settings(configuration);
        var policies = services.GetRequiredService<PromptPolicies>();

        var root = policies.For(TeamNamed("root"));
        var own = policies.For(TeamNamed("OWN"));

        Assert.Equal((12, 30, new TimeOnly(9, 0)), (root.BreakMinutes, root.Options.InteractionsSinceBreak, root.DayStart));
        Assert.Equal((20, 30, new TimeOnly(7, 0)), (own.BreakMinutes, own.Options.InteractionsSinceBreak, own.DayStart));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday], own.Days.Order());
        Assert.Same(root, policies.For(null));
    }

    [Fact]
    public void The_shipped_settings_are_valid() =>
        Assert.Empty(Failures(File.ReadAllText(Path.Combine(RepoPaths.Root, "appsettings.json"))));

    [Theory]
    [InlineData("""{"QuietTime":{"BreakMinutes":45}}""", "QuietTime:BreakMinutes must be between 5 and 30.")]
    [InlineData("""{"QuietTime":{"MaxShareOnBreak":0}}""", "QuietTime:MaxShareOnBreak must be more than 0 and at most 1.")]
    [InlineData("""{"QuietTime":{"WorkingDays":"Mon,Funday"}}""", "QuietTime:WorkingDays 'Mon,Funday' must list days like Mon,Tue,Wed,Thu,Fri.")]
    [InlineData("""{"QuietTime":{"SignalsSecret":"short"}}""", "QuietTime:SignalsSecret must have at least 16 characters")]
    [InlineData("""{"QuietTime":{"RestAfter":"00:05:00"}}""", "QuietTime:RestAfter must be at least ActivityGap")]
    [InlineData("""{"Organization":{"Teams":[{"Id":"t","QuietTime":{"WorkingHours":"9-5"}}]}}""", "Organization:Teams:0:QuietTime:WorkingHours '9-5' must look like 09:00-17:00.")]
    [InlineData("""{"Organization":{"Teams":[{"Id":"t","QuietTime":{"SignalsSecret":"0123456789abcdef0"}}]}}""", "Organization:Teams:0:QuietTime:SignalsSecret may only be set in the root QuietTime section.")]
    public void A_bad_value_fails_start_up_naming_its_key(string json, string failure)
    {
        var failures = Failures(json);

        Assert.Contains(failures, f => f.StartsWith(failure, StringComparison.Ordinal));
        Assert.Single(failures);
    }

    [Fact]
    public void A_team_whose_own_keys_break_a_rule_with_the_root_s_is_reported_under_its_key_with_every_other_team_s()
    {
        var failures = Failures("""
            {
              "QuietTime": { "RestAfter": "00:30:00" },
              "Organization": { "Teams": [
                { "Id": "night", "QuietTime": { "ActivityGap": "00:45:00" } },
                { "Id": "fine", "QuietTime": { "BreakMinutes": 15 } },
                { "Id": "weekend", "QuietTime": { "WorkingDays": "Sat,Sunday" } } ] }
            }
            """);

        Assert.Equal([
            "Organization:Teams:0:QuietTime:RestAfter must be at least ActivityGap and at most 1.00:00:00.",
            "Organization:Teams:2:QuietTime:WorkingDays 'Sat,Sunday' must list days like Mon,Tue,Wed,Thu,Fri.",
        ], failures);
    }

    [Fact]
    public void The_bot_refuses_to_start_with_a_team_s_bad_quiet_time_setting()
    {
        var error = Assert.IsType<OptionsValidationException>(BotHost.StartFailure(new() { ["Organization:Teams:0:QuietTime:BreakMinutes"] = "60" }));

        Assert.Equal(["Organization:Teams:0:QuietTime:BreakMinutes must be between 5 and 30."], error.Failures);
    }

    [Fact]
    public void The_bot_refuses_to_start_with_a_bad_quiet_time_setting()
    {
        using var bot = new BotHost(new() { ["QuietTime:BreakMinutes"] = "60" });

        var error = Assert.Throws<OptionsValidationException>(() => bot.Services);

        Assert.Contains("QuietTime:BreakMinutes", error.Message);
    }

    [Fact]
    public async Task A_team_s_own_break_length_is_what_its_reps_are_offered_and_given()
    {
        await using var q = await QuietBot.StartAsync(settings: new() { ["Organization:Teams:0:QuietTime:BreakMinutes"] = "20" });
        await q.SayAsync(0, "help");

        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 20));

        Assert.Contains("Take a 20-minute quiet break?", await q.WaitForAsync(0, "20-minute"));
        Assert.Contains("Your 20-minute quiet break has started. It ends at 10:20 AM", await q.SayAsync(0, "break"));
    }
}
