// SPDX-License-Identifier: GPL-2.0
/*
 * irq_migrate_sysfs - the irq-to-task binding map of interrupt handler
 * migration, in /sys/kernel/irq_migrate/.
 *
 *   version		ABI version (read-only)
 *   <irq>/name		the action's devname
 *   <irq>/mode		thread | migrate | urgent (root may write)
 *   <irq>/target_pid	the task that armed last, in the reader's pid ns
 *   <irq>/target_comm	its comm
 *   <irq>/armed		tasks armed now
 *   <irq>/migrated	handler runs done in a waiter
 *   <irq>/fallback	handler runs done in the irq thread
 *   <irq>/fallback_none, fallback_mode, fallback_other, fallback_prio
 *			... by reason (fallback_prio: the armed waiter was
 *			less urgent than the irq thread)
 *   <irq>/urgent	interrupts that took the urgent path
 *
 * The directories follow the series' notifier: created for each migrated
 * irq that exists at load and each one requested later, removed when it
 * is freed.  Every value is read from genirq at read time, never cached.
 * See Documentation/ABI/testing/sysfs-kernel-irq_migrate.
 */
#include <linux/capability.h>
#include <linux/irq_migrate.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#define IRQ_MIGRATE_SYSFS_ABI	1

static const char * const mode_names[] = {
	[IRQ_MIGRATE_MODE_THREAD]	= "thread",
	[IRQ_MIGRATE_MODE_MIGRATE]	= "migrate",
	[IRQ_MIGRATE_MODE_URGENT]	= "urgent",
};

/* One directory per migrated irq. */
struct map_entry {
	struct kobject		kobj;
	unsigned int		irq;
	struct list_head	node;	/* in map_list, under map_lock */
};

/*
 * map_lock protects map_list.  It is taken by the notifier (with the
 * series' registration mutex held for IRQ_MIGRATE_ADDED, without it for
 * IRQ_MIGRATE_REMOVED) and by module exit.  sysfs callbacks never take it:
 * they only use their entry's irq, and a removed entry's files are drained
 * by kobject removal, which happens outside map_lock.
 */
static DEFINE_MUTEX(map_lock);
static LIST_HEAD(map_list);
static struct kobject *map_root;

#define to_entry(k) container_of(k, struct map_entry, kobj)

static int entry_info(struct kobject *kobj, struct irq_migrate_info *info)
{
	/* -ENODEV once the irq is freed and its directory is on its way out. */
	return irq_migrate_get_info(to_entry(kobj)->irq, info) ? -ENODEV : 0;
}

#define INFO_ATTR(_name, _fmt, _expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct irq_migrate_info info;					\
	int ret = entry_info(kobj, &info);				\
									\
	return ret ? ret : sysfs_emit(buf, _fmt "\n", _expr);		\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

INFO_ATTR(name, "%s", info.devname);
INFO_ATTR(armed, "%u", info.armed);
INFO_ATTR(migrated, "%lu", info.migrated);
INFO_ATTR(urgent, "%lu", info.urgent);
INFO_ATTR(fallback, "%lu", info.fallback[IRQ_MIGRATE_FB_NONE] +
	  info.fallback[IRQ_MIGRATE_FB_MODE] + info.fallback[IRQ_MIGRATE_FB_OTHER] +
	  info.fallback[IRQ_MIGRATE_FB_PRIO]);
INFO_ATTR(fallback_none, "%lu", info.fallback[IRQ_MIGRATE_FB_NONE]);
INFO_ATTR(fallback_mode, "%lu", info.fallback[IRQ_MIGRATE_FB_MODE]);
INFO_ATTR(fallback_other, "%lu", info.fallback[IRQ_MIGRATE_FB_OTHER]);
INFO_ATTR(fallback_prio, "%lu", info.fallback[IRQ_MIGRATE_FB_PRIO]);

/*
 * The task that armed last, as seen from the reader's pid namespace: its
 * pid there, or 0 when there is none, it exited (or its pid now names a
 * task with another comm), or it is not visible from there.
 */
static pid_t visible_pid(const struct irq_migrate_info *info)
{
	struct task_struct *task;
	struct pid *pid;
	pid_t nr = 0;

	if (!info->last_pid)
		return 0;
	rcu_read_lock();
	pid = find_pid_ns(info->last_pid, &init_pid_ns);
	task = pid ? pid_task(pid, PIDTYPE_PID) : NULL;
	if (task && !strncmp(task->comm, info->last_comm, TASK_COMM_LEN))
		nr = pid_nr_ns(pid, task_active_pid_ns(current));
	rcu_read_unlock();
	return nr;
}

static ssize_t target_pid_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct irq_migrate_info info;
	int ret = entry_info(kobj, &info);

	return ret ? ret : sysfs_emit(buf, "%d\n", visible_pid(&info));
}
static struct kobj_attribute target_pid_attr = __ATTR_RO(target_pid);

static ssize_t target_comm_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct irq_migrate_info info;
	int ret = entry_info(kobj, &info);

	if (ret)
		return ret;
	return sysfs_emit(buf, "%s\n", visible_pid(&info) ? info.last_comm : "");
}
static struct kobj_attribute target_comm_attr = __ATTR_RO(target_comm);

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct irq_migrate_info info;
	int ret = entry_info(kobj, &info);

	if (ret)
		return ret;
	if ((unsigned int)info.mode >= ARRAY_SIZE(mode_names))
		return -EIO;
	return sysfs_emit(buf, "%s\n", mode_names[info.mode]);
}

/* One of the mode words, with or without a trailing newline; nothing else. */
static ssize_t mode_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	int mode, ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mode = sysfs_match_string(mode_names, buf);
	if (mode < 0)
		return -EINVAL;
	ret = irq_migrate_set_mode(to_entry(kobj)->irq, mode);
	if (ret)
		return ret == -ENOENT ? -ENODEV : ret;
	return count;
}
static struct kobj_attribute mode_attr = __ATTR_RW(mode);

static struct attribute *entry_attrs[] = {
	&name_attr.attr,
	&mode_attr.attr,
	&target_pid_attr.attr,
	&target_comm_attr.attr,
	&armed_attr.attr,
	&migrated_attr.attr,
	&fallback_attr.attr,
	&fallback_none_attr.attr,
	&fallback_mode_attr.attr,
	&fallback_other_attr.attr,
	&fallback_prio_attr.attr,
	&urgent_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(entry);

static void entry_release(struct kobject *kobj)
{
	kfree(to_entry(kobj));
}

static const struct kobj_type entry_ktype = {
	.release	= entry_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= entry_groups,
};

static struct map_entry *find_entry(unsigned int irq)
{
	struct map_entry *e;

	lockdep_assert_held(&map_lock);
	list_for_each_entry(e, &map_list, node) {
		if (e->irq == irq)
			return e;
	}
	return NULL;
}

static void add_entry(unsigned int irq)
{
	struct map_entry *e;

	mutex_lock(&map_lock);
	if (find_entry(irq))
		goto out;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		goto out;
	e->irq = irq;
	if (kobject_init_and_add(&e->kobj, &entry_ktype, map_root, "%u", irq)) {
		pr_warn("irq_migrate_sysfs: no directory for irq %u\n", irq);
		kobject_put(&e->kobj);
		goto out;
	}
	list_add_tail(&e->node, &map_list);
out:
	mutex_unlock(&map_lock);
}

static void remove_entry(unsigned int irq)
{
	struct map_entry *e;

	mutex_lock(&map_lock);
	e = find_entry(irq);
	if (e)
		list_del(&e->node);
	mutex_unlock(&map_lock);
	/* Outside map_lock: this waits for the entry's readers to finish. */
	if (e)
		kobject_put(&e->kobj);
}

static int map_notify(struct notifier_block *nb, unsigned long event,
		      void *data)
{
	const struct irq_migrate_info *info = data;

	if (event == IRQ_MIGRATE_ADDED)
		add_entry(info->irq);
	else if (event == IRQ_MIGRATE_REMOVED)
		remove_entry(info->irq);
	return NOTIFY_OK;
}

static struct notifier_block map_nb = {
	.notifier_call = map_notify,
};

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", IRQ_MIGRATE_SYSFS_ABI);
}
static struct kobj_attribute version_attr = __ATTR_RO(version);

static int __init irq_migrate_sysfs_init(void)
{
	int ret;

	map_root = kobject_create_and_add("irq_migrate", kernel_kobj);
	if (!map_root)
		return -ENOMEM;
	ret = sysfs_create_file(map_root, &version_attr.attr);
	if (ret)
		goto err;
	/* Replays IRQ_MIGRATE_ADDED for every migrated irq that exists. */
	ret = irq_migrate_register_notifier(&map_nb);
	if (ret)
		goto err;
	return 0;
err:
	kobject_put(map_root);
	return ret;
}

static void __exit irq_migrate_sysfs_exit(void)
{
	struct map_entry *e, *tmp;
	LIST_HEAD(gone);

	irq_migrate_unregister_notifier(&map_nb);
	mutex_lock(&map_lock);
	list_splice_init(&map_list, &gone);
	mutex_unlock(&map_lock);
	list_for_each_entry_safe(e, tmp, &gone, node) {
		list_del(&e->node);
		kobject_put(&e->kobj);
	}
	kobject_put(map_root);
}

module_init(irq_migrate_sysfs_init);
module_exit(irq_migrate_sysfs_exit);
MODULE_DESCRIPTION("Interrupt handler migration: the irq-to-task map in sysfs");
MODULE_LICENSE("GPL");
