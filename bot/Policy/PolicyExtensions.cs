using EmpowerBot.Hosting;

namespace EmpowerBot.Policy;

public static class PolicyExtensions
{
    /// <summary>
    /// Binds the root "Policy" section (every team's default; the roster builds each team's
    /// <see cref="CreditPolicy"/> from it) and fails start-up when it is inconsistent.
    /// </summary>
    public static IHostApplicationBuilder AddPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<PolicyOptions, PolicyOptionsValidator>(PolicyOptions.Section);
        builder.Services.AddSingleton<EmpowerBot.Conversation.ICommand, LimitsCommand>();
        builder.Services.AddSingleton<EmpowerBot.Conversation.ICommand, PolicySaveCommand>();
        builder.Services.AddSingleton<EmpowerBot.Conversation.ICommand, OrgPolicyCommand>();
        return builder;
    }
}
