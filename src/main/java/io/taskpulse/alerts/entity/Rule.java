package io.taskpulse.alerts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which transitions of which tasks go to which channel: a set of transitions, a task-name glob (none: every task)
 * and a tag (none: any; a task's tags are the space-separated words of its {@code tags} column).
 */
@Entity
@Table(name = "alert_rule")
@NamedQuery(name = Rule.ALL, query = "SELECT r FROM Rule r ORDER BY r.id")
public class Rule {

    public static final String ALL = "Rule.all";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "channel_id", nullable = false)
    private long channelId;

    @Column(nullable = false, length = 100)
    private String transitions;

    @Column(name = "name_pattern", length = 200)
    private String namePattern;

    @Column(length = 100)
    private String tag;

    protected Rule() {
    }

    public Rule(long channelId, Set<Transition> transitions, String namePattern, String tag) {
        this.channelId = channelId;
        this.transitions = transitions.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
        this.namePattern = namePattern;
        this.tag = tag;
    }

    /**
     * Whether a transition of the task named {@code name} with {@code tags} (the column as stored, may be null)
     * matches. Tags are read as the board reads them ({@code Tags.read}: commas or spaces, any case, from whatever
     * wrote the column), so a rule fires for the tasks the tag bar shows under its tag.
     */
    public boolean matches(Transition transition, String name, String tags) {
        return getTransitions().contains(transition) && NamePattern.matches(namePattern, name)
                && (tag == null || io.taskpulse.tasks.entity.Tags.read(tags).contains(tag));
    }

    public Long getId() {
        return id;
    }

    public long getChannelId() {
        return channelId;
    }

    public Set<Transition> getTransitions() {
        Set<Transition> set = EnumSet.noneOf(Transition.class);
        for (String name : transitions.split(",")) {
            if (!name.isBlank()) {
                set.add(Transition.valueOf(name.strip()));
            }
        }
        return set;
    }

    public String getNamePattern() {
        return namePattern;
    }

    public String getTag() {
        return tag;
    }
}
