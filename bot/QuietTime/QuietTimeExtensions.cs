using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

public static class QuietTimeExtensions
{
    /// <summary>
    /// Registers quiet time: the prompt policies, breaks and coverage, the turn observer (the bot's own turns are
    /// activity), focus mode (a delivery gate), the commands and card actions, the outbox handlers of break ends and
    /// re-checks, the team insights, and what POST /api/signals needs (mapped by <see cref="SignalsEndpoint.MapQuietTime"/>).
    /// </summary>
    public static IHostApplicationBuilder AddQuietTime(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddQuietTimeSettings();
        services.AddSingleton<PersonStates>();
        services.AddSingleton<Coverage>();
        services.AddSingleton<Breaks>();
        services.AddSingleton<Prompter>();
        services.AddSingleton<QuietTimeInsights>();
        services.AddSingleton<EmpowerBot.Insights.ITeamHighlights, BreakHighlights>();
        services.AddSingleton<SignalReplay>();

        services.AddSingleton<ITurnObserver, QuietTimeObserver>();
        services.AddSingleton<IDeliveryGate, FocusGate>();
        services.AddSingleton<IOutboxHandler, BreakEndHandler>();
        services.AddSingleton<IOutboxHandler, RecheckHandler>();

        services.AddSingleton<ICommand, BreakCommand>();
        services.AddSingleton<ICommand, BreaksSettingCommand>();
        services.AddSingleton<ICommand, BackCommand>();
        services.AddSingleton<ICommand, TeamBreaksCommand>();
        services.AddSingleton<ICardActionHandler, StartBreakAction>();
        services.AddSingleton<ICardActionHandler, SnoozeBreakAction>();
        services.AddSingleton<ICardActionHandler, DeclineBreakAction>();
        services.AddSingleton<ICardActionHandler, EndBreakAction>();
        return builder;
    }

    /// <summary>The root "QuietTime" section, each team's own (named options) and their prompt policies, checked at start-up.</summary>
    public static IServiceCollection AddQuietTimeSettings(this IServiceCollection services)
    {
        services.AddSettings<QuietTimeOptions, QuietTimeOptionsValidator>(QuietTimeOptions.Section);
        services.AddSingleton<IConfigureOptions<QuietTimeOptions>, TeamQuietTime>();
        services.AddSingleton<PromptPolicies>();
        return services.BuildOnStart<PromptPolicies>();
    }
}
