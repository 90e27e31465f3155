using EmpowerBot.Conversation;
using EmpowerBot.Policy;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Tests.Conversation;

/// <summary>Someone on no roster gets spending power only in the local demo, or where the operator says so.</summary>
public sealed class UnlistedPeopleTests
{
    private static Roster RosterIn(string environment, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            DisableDefaults = true,
            ContentRootPath = RepoPaths.Root,
        });
        builder.Configuration.AddJsonFile(Path.Combine(RepoPaths.Root, "appsettings.json"));
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddOptions<PolicyOptions>().BindConfiguration("Policy");
        builder.AddConversation(RepoPaths.Root);
        using var host = builder.Build();
        return host.Services.GetRequiredService<Roster>();
    }

    [Fact]
    public void Outside_development_someone_on_no_roster_is_a_guest_without_a_budget_although_the_file_names_a_default_team()
    {
        var stranger = RosterIn("Production").Resolve("t1", "aad:stranger", "Sam Stranger");

        Assert.Null(stranger.Team);
        Assert.False(stranger.HasBudget);
        Assert.Equal(Role.Rep, stranger.Role);
    }

    [Fact]
    public void The_local_demo_puts_someone_on_no_roster_in_its_demo_team_with_the_teams_budget()
    {
        var stranger = RosterIn("Development").Resolve("t1", "aad:stranger", "Sam Stranger");

        Assert.Equal("demo", stranger.Team?.Id);
        Assert.True(stranger.HasBudget);
        Assert.Equal(200m, stranger.MonthlyBudget.ToDecimal());
    }

    [Fact]
    public void An_operator_may_let_people_on_no_roster_join_the_default_team_in_production_or_make_them_guests_in_the_demo()
    {
        var joined = RosterIn("Production", new() { ["Organization:UnlistedPeople"] = "DefaultTeam" }).Resolve("t1", "aad:s", "Sam");
        var guest = RosterIn("Development", new() { ["Organization:UnlistedPeople"] = "guest" }).Resolve("t1", "aad:s", "Sam");

        Assert.Equal("demo", joined.Team?.Id);
        Assert.Null(guest.Team);
    }

    [Fact]
    public void Someone_on_a_roster_keeps_their_team_whatever_the_environment()
    {
        var alex = RosterIn("Production").Resolve("t1", "aad:00000000-0000-0000-0000-0000000000020", null);

        Assert.Equal("demo", alex.Team?.Id);
        Assert.True(alex.HasBudget);
    }

    [Fact]
    public void Joining_a_default_team_that_is_not_named_fails_start_up_with_the_key_to_fix()
    {
        var error = Assert.Throws<OptionsValidationException>(() => RosterIn("Production", new()
        {
            ["Organization:UnlistedPeople"] = "DefaultTeam",
            ["Organization:DefaultTeam"] = "",
        }));

        Assert.Contains("Organization:UnlistedPeople is DefaultTeam but Organization:DefaultTeam names no team", error.Message);
    }
}
