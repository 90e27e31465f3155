using System.CodeDom.Compiler;
using System.Reflection;
using EmpowerBot.Hosting;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Tests.Hosting;

/// <summary>Every settings section is checked one way: the options type lists its problems, a generated validator runs them at start-up.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void Every_section_the_bot_binds_is_checked_by_its_own_generated_validator_and_by_nothing_else()
    {
        using var bot = new BotHost();
        var bound = typeof(ISettings).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Where(t => bot.Services.GetServices(typeof(IConfigureOptions<>).MakeGenericType(t)).Any())
            .ToList();

        Assert.True(bound.Count >= 13, $"only {bound.Count} bound sections found");
        foreach (var type in bound)
        {
            Assert.True(typeof(ISettings).IsAssignableFrom(type), $"{type.Name} is bound but does not list its own problems (ISettings)");
            var validator = Assert.Single(bot.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(type)))!;
            var validate = validator.GetType().GetMethod(nameof(IValidateOptions<object>.Validate), [typeof(string), type])!;
            Assert.True(validate.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "Microsoft.Extensions.Options.SourceGeneration",
                $"{type.Name} is validated by {validator.GetType().Name}, which the options validation source generator did not write");
        }
    }

    [Theory]
    [InlineData("Resilience:BreakDuration", "00:00:00.100", "Resilience:BreakDuration must be between 00:00:00.500 and 1.00:00:00.")]
    [InlineData("Resilience:BaseDelay", "00:02:00", "Resilience:BaseDelay must be above zero and at most Resilience:MaxDelay.")]
    [InlineData("Export:LinkLifetime", "2.00:00:00", "Export:LinkLifetime must be between 00:01:00 and 1.00:00:00.")]
    [InlineData("Export:PublicUrl", "empowerbot.contoso.example", "Export:PublicUrl 'empowerbot.contoso.example' must be the bot's absolute address")]
    [InlineData("BotFramework:OpenIdMetadataUrl", "login.botframework.com", "BotFramework:OpenIdMetadataUrl 'login.botframework.com' must be an absolute https address.")]
    [InlineData("MicrosoftAppType", "Multi", "MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI.")]
    [InlineData("Approvals:NudgeAfter", "00:00:30", "Approvals:NudgeAfter must be at least one minute.")]
    [InlineData("Storage:SqlitePath", " ", "Storage:SqlitePath is required with Storage:Provider Sqlite.")]
    public void A_bad_value_stops_start_up_with_a_sentence_naming_its_key(string key, string value, string problem)
    {
        var error = Assert.IsType<OptionsValidationException>(BotHost.StartFailure(new() { [key] = value }));

        Assert.Contains(error.Failures, f => f.StartsWith(problem, StringComparison.Ordinal));
    }
}
